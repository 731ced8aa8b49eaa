import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Latency from frame capture to PTZ command through the real broker. Listens to processed_frames_exchange and
 * ptz_commands_exchange for SECONDS and joins them on capture_ts for stream STREAM:
 *   result   = arrival of frame-processor's result here - capture_ts   (the reference: what ptz-service starts from)
 *   command  = issued_ts of the ptz command answering that frame - capture_ts
 *   ptz      = issued_ts - arrival of the result  (ptz-service's own share: bus delivery, control, driver call)
 * All clocks are this machine's. Usage: java -cp amqp-client.jar:slf4j-api.jar PtzLatency.java STREAM SECONDS
 */
public class PtzLatency {
    private static final Pattern STREAM = Pattern.compile("\"stream_id\":\"([^\"]*)\"");
    private static final Pattern CAPTURE = Pattern.compile("\"capture_ts\":(\\d+)");
    private static final Pattern ISSUED = Pattern.compile("\"issued_ts\":(\\d+)");
    private static final Pattern COMMAND = Pattern.compile("\"command\":\"([^\"]*)\"");

    public static void main(String[] args) throws Exception {
        String stream = args[0];
        int seconds = Integer.parseInt(args[1]);
        Map<Long, Long> resultArrival = new ConcurrentHashMap<>();
        List<Long> result = Collections.synchronizedList(new ArrayList<>());
        List<Long> command = Collections.synchronizedList(new ArrayList<>());
        List<Long> ptz = Collections.synchronizedList(new ArrayList<>());
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(System.getenv().getOrDefault("FLEET_RABBITMQ_HOST", "127.0.0.1"));
        try (Connection c = f.newConnection("ptz-latency-bench"); Channel ch = c.createChannel()) {
            String frames = ch.queueDeclare().getQueue();
            ch.queueBind(frames, "processed_frames_exchange", "");
            String commands = ch.queueDeclare().getQueue();
            ch.queueBind(commands, "ptz_commands_exchange", "");
            ch.basicConsume(frames, true, (tag, d) -> {
                long now = System.currentTimeMillis();
                String body = new String(d.getBody(), StandardCharsets.UTF_8);
                if (stream.equals(first(STREAM, body))) {
                    long capture = Long.parseLong(first(CAPTURE, body));
                    resultArrival.put(capture, now);
                    result.add(now - capture);
                }
            }, tag -> { });
            ch.basicConsume(commands, true, (tag, d) -> {
                String body = new String(d.getBody(), StandardCharsets.UTF_8);
                String capture = first(CAPTURE, body);
                if (stream.equals(first(STREAM, body)) && "move_relative".equals(first(COMMAND, body))
                        && capture != null && !capture.equals("0")) {
                    long issued = Long.parseLong(first(ISSUED, body));
                    long ts = Long.parseLong(capture);
                    command.add(issued - ts);
                    Long arrived = resultArrival.get(ts);
                    if (arrived != null) {
                        ptz.add(issued - arrived);
                    }
                }
            }, tag -> { });
            Thread.sleep(seconds * 1000L);
        }
        System.out.printf("stream %s, %d s: %d results, %d commands%n", stream, seconds, result.size(), command.size());
        print("capture -> result at ptz-service (reference)", result);
        print("capture -> PTZ command issued", command);
        print("result arrival -> PTZ command (ptz-service's share)", ptz);
    }

    private static void print(String what, List<Long> values) {
        List<Long> v = new ArrayList<>(values);
        Collections.sort(v);
        if (v.isEmpty()) {
            System.out.printf("%-52s no samples%n", what);
            return;
        }
        System.out.printf("%-52s p50 %4d ms  p99 %4d ms  (n=%d)%n", what, v.get(v.size() / 2),
                v.get((int) Math.min(v.size() - 1, Math.round(0.99 * (v.size() - 1)))), v.size());
    }

    private static String first(Pattern p, String body) {
        Matcher m = p.matcher(body);
        return m.find() ? m.group(1) : null;
    }
}
