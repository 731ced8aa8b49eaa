import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Listens to slam_results_exchange for one stream and prints, over a measured window after a warm-up: results per
 * second, the service's processing time per frame, the latency from capture to result arrival, and the tracking
 * states. Run with the slam-service jars on the class path (amqp-client):
 *
 *   java -cp "slam-service/target/quarkus-app/lib/main/*" bench/slam/ResultStats.java STREAM WARMUP_S SECONDS
 */
public class ResultStats {
    private static final Pattern NUMBER = Pattern.compile("\"(processing_ms|capture_ts)\":([0-9.eE+-]+)");
    private static final Pattern STATE = Pattern.compile("\"tracking_state\":\"([a-z_]+)\"");
    private static final Pattern STREAM = Pattern.compile("\"stream_id\":\"([^\"]+)\"");

    record Result(long arrivedMs, double processingMs, long captureTs, String state) {
    }

    public static void main(String[] args) throws Exception {
        String stream = args[0];
        long warmupMs = Long.parseLong(args[1]) * 1000;
        long measureMs = Long.parseLong(args[2]) * 1000;
        ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (Connection connection = factory.newConnection("slam-bench")) {
            Channel channel = connection.createChannel();
            channel.exchangeDeclare("slam_results_exchange", "fanout", true);
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, "slam_results_exchange", "");
            channel.basicConsume(queue, true, (tag, delivery) -> {
                long now = System.currentTimeMillis();
                String body = new String(delivery.getBody(), StandardCharsets.UTF_8);
                Matcher s = STREAM.matcher(body);
                if (!s.find() || !s.group(1).equals(stream)) {
                    return;
                }
                double processing = 0;
                long capture = 0;
                Matcher m = NUMBER.matcher(body);
                while (m.find()) {
                    if (m.group(1).equals("processing_ms")) {
                        processing = Double.parseDouble(m.group(2));
                    } else {
                        capture = (long) Double.parseDouble(m.group(2));
                    }
                }
                Matcher st = STATE.matcher(body);
                results.add(new Result(now, processing, capture, st.find() ? st.group(1) : "?"));
            }, tag -> { });
            long start = System.currentTimeMillis();
            Thread.sleep(warmupMs + measureMs);
            long from = start + warmupMs;
            List<Result> window = new ArrayList<>();
            for (Result r : results) {
                if (r.arrivedMs() >= from) {
                    window.add(r);
                }
            }
            Map<String, Integer> states = new TreeMap<>();
            window.forEach(r -> states.merge(r.state(), 1, Integer::sum));
            double[] processing = window.stream().mapToDouble(Result::processingMs).sorted().toArray();
            double[] latency = window.stream().mapToDouble(r -> r.arrivedMs() - r.captureTs()).sorted().toArray();
            System.out.printf(Locale.ROOT, "| results/s | %.1f |%n", window.size() / (measureMs / 1000.0));
            System.out.printf(Locale.ROOT, "| processing ms (mean / p50 / p95 / p99 / max) | %s |%n", stats(processing));
            System.out.printf(Locale.ROOT, "| capture to result on the bus, ms (mean / p50 / p95 / p99 / max) | %s |%n", stats(latency));
            System.out.printf(Locale.ROOT, "| tracking states | %s |%n", states);
        }
    }

    private static String stats(double[] v) {
        if (v.length == 0) {
            return "none";
        }
        double mean = java.util.Arrays.stream(v).average().orElse(0);
        return String.format(Locale.ROOT, "%.1f / %.1f / %.1f / %.1f / %.1f", mean, v[v.length / 2],
                v[(int) (v.length * 0.95)], v[(int) Math.min(v.length - 1, v.length * 0.99)], v[v.length - 1]);
    }
}
