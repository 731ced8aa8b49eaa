import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * What an inspection queue costs the broker: persistent messages of SIZE bytes at RATE a second into a fanout
 * exchange, first bound to nothing (the publishes alone), then to one queue of each kind below, each capped at the
 * newest 1,000 messages like the fleet's {@code inspect.*} queues (deploy/rabbitmq/definitions.json); printed is the
 * broker process's CPU over SECONDS per kind, two rounds. It declares an exchange and queues of its own on the local
 * broker (guest/guest) and deletes them after, so a fleet on the same broker is left as it was.
 *
 * <pre>
 *   java -cp "frame-processor/target/quarkus-app/lib/main/*" bench/bus/InspectQueueCost.java 400 1500 15 \
 *     $(pgrep -f 'beam.smp.*rabbit' | head -1)   # RATE SIZE SECONDS BROKER_PID
 * </pre>
 */
public class InspectQueueCost {
    private static final String EXCHANGE = "inspect_cost_bench";

    /** A kind of queue: its name and its arguments beyond the cap, and whether it survives a broker restart. */
    record Kind(String name, boolean durable, Map<String, Object> arguments) {
    }

    private static final List<Kind> KINDS = List.of(
            new Kind("lazy", true, Map.of("x-queue-mode", "lazy")),
            new Kind("default mode", true, Map.of()),
            new Kind("version 2", true, Map.of("x-queue-version", 2)),
            new Kind("lazy, version 2", true, Map.of("x-queue-mode", "lazy", "x-queue-version", 2)),
            new Kind("not durable", false, Map.of()),
            new Kind("quorum (the fleet's)", true, Map.of("x-queue-type", "quorum")));

    public static void main(String[] args) throws Exception {
        int rate = Integer.parseInt(args[0]);
        int size = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        Path brokerStat = Path.of("/proc", args[3], "stat");
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'a');
        try (Connection connection = new ConnectionFactory().newConnection(); Channel ch = connection.createChannel()) {
            ch.exchangeDeclare(EXCHANGE, "fanout", false);
            try {
                for (int round = 1; round <= 2; round++) {
                    report("bound to nothing", rate, size, publish(ch, body, rate, seconds, brokerStat), seconds);
                    for (Kind kind : KINDS) {
                        String queue = EXCHANGE + "." + round + "." + KINDS.indexOf(kind);
                        Map<String, Object> arguments = new HashMap<>(kind.arguments());
                        arguments.put("x-max-length", 1000);
                        arguments.put("x-overflow", "drop-head");
                        ch.queueDeclare(queue, kind.durable(), false, false, arguments);
                        ch.queueBind(queue, EXCHANGE, "");
                        try {
                            // full to the cap first, as an inspection queue is after its first seconds
                            for (int i = 0; i < 2000; i++) {
                                ch.basicPublish(EXCHANGE, "", MessageProperties.PERSISTENT_BASIC, body);
                            }
                            ch.queueDeclarePassive(queue); // a round trip: the broker has routed those
                            report(kind.name(), rate, size, publish(ch, body, rate, seconds, brokerStat), seconds);
                        } finally {
                            ch.queueDelete(queue);
                        }
                    }
                }
            } finally {
                ch.exchangeDelete(EXCHANGE);
            }
        }
    }

    /** Publishes at {@code rate} for {@code seconds}; returns the broker's CPU ticks meanwhile. */
    private static long publish(Channel ch, byte[] body, int rate, int seconds, Path brokerStat) throws Exception {
        long before = ticks(brokerStat);
        long start = System.nanoTime();
        for (long n = 0; n < (long) rate * seconds; n++) {
            long wait = start + n * 1_000_000_000L / rate - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // paces the publishes, as BusLoad does
            }
            ch.basicPublish(EXCHANGE, "", MessageProperties.PERSISTENT_BASIC, body);
        }
        ch.exchangeDeclarePassive(EXCHANGE); // a round trip: the broker has taken every publish
        return ticks(brokerStat) - before;
    }

    private static void report(String kind, int rate, int size, long ticks, int seconds) {
        System.out.printf("%-20s %d msg/s of %d B: broker %.1f %% of a core%n", kind, rate, size,
                (double) ticks / seconds); // 100 ticks a second: ticks per second are percent of a core
    }

    /** User and system CPU of a process, in clock ticks (100 a second). */
    private static long ticks(Path stat) throws Exception {
        String s = Files.readString(stat);
        String[] fields = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
