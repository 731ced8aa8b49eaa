import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Address;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.visionfleet.common.bus.Exchanges;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The bus under the load of many streams: result messages of a real run, re-addressed to simulated streams, published
 * with confirms through the real broker to storage-like consumers.
 *
 * <pre>
 * java -cp CP BusLoad.java capture ADDRESSES SECONDS OUT        # tap a running fleet's processed_frames and slam_results
 * java -cp CP BusLoad.java topology ADDRESSES MODE R STREAMS    # declare the bench's exchanges and queues (deletes old ones)
 * java -cp CP BusLoad.java consume ADDRESSES QUEUES DIR         # one storage-like consumer of the comma-separated queues
 * java -cp CP BusLoad.java consume-streams ADDRESSES I R STREAMS DIR  # consumer I of R in per-stream mode
 * java -cp CP BusLoad.java publish ADDRESSES SAMPLE STREAMS RATE SECONDS
 * </pre>
 *
 * Topology, on exchanges of their own ({@code bench.processed_frames}, {@code bench.slam_results}: fanout, like the
 * fleet's) so that a fleet on the same broker is not disturbed:
 * <ul>
 *   <li>{@code shared}: one quorum queue per exchange, the R consumers compete for it (the archive as it is).</li>
 *   <li>{@code by-stream}: a consistent-hash exchange bound behind each fanout, hashing the routing key (the stream
 *   id), and one quorum queue per consumer bound to it: a consumer receives only its streams, all of each.</li>
 *   <li>{@code fanout}: one quorum queue per consumer bound to the fanout: every consumer receives every stream.</li>
 *   <li>{@code per-stream}: storage's archive as it is routed now: a direct exchange behind each fanout and one quorum
 *   queue per stream (single active consumer) bound to both with the stream id; consumer {@code i} of R consumes the
 *   queues of streams {@code i, i + R, ...} on one channel, as a storage replica consumes the streams it records.</li>
 * </ul>
 * The consumer does what storage's archive does with a result: reads its stream and capture time from the JSON,
 * appends it as a line to its stream's file, forces the files written every 200 ms and then acknowledges everything
 * written with one {@code basicAck(multiple)}. It prints one line when stopped (SIGTERM): messages, their rate between
 * first and last arrival, and the CPU it used from its first message on, as a share of one core. The publisher paces
 * {@code STREAMS × RATE} messages a second over 4 channels with publisher confirms (at most 2,000 unconfirmed per
 * channel) and prints messages confirmed per second and confirm latency p50/p99.
 */
public class BusLoad {
    static final List<String> KINDS = List.of("processed_frames", "slam_results");
    static final int PUBLISHERS = 4;
    static final int UNCONFIRMED = 2_000;
    /** storage's {@code results.flush-interval} and {@code results.prefetch} defaults. */
    static final long FLUSH_MS = 200;
    static final int PREFETCH = 1_000;
    static final ObjectMapper JSON = new ObjectMapper();
    /** As the fleet publishes results: persistent JSON. */
    static final AMQP.BasicProperties PERSISTENT_JSON =
            new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build();
    static final long HOUR_MS = 3_600_000;

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "capture" -> capture(args[1], Integer.parseInt(args[2]), Path.of(args[3]));
            case "topology" -> topology(args[1], args[2], Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            case "consume" -> consume(args[1], List.of(args[2].split(",")), false, Path.of(args[3]));
            case "consume-streams" -> consume(args[1], streamQueues(Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4])), true, Path.of(args[5]));
            case "publish" -> publish(args[1], Path.of(args[2]), Integer.parseInt(args[3]), Double.parseDouble(args[4]),
                    Integer.parseInt(args[5]));
            default -> throw new IllegalArgumentException("capture | topology | consume | publish");
        }
    }

    static Connection connect(String addresses, String name) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setAutomaticRecoveryEnabled(false);
        List<Address> nodes = Arrays.stream(addresses.split(",")).map(Address::parseAddress).toList();
        return factory.newConnection(nodes, "bench/" + ProcessHandle.current().pid() + "/" + name);
    }

    static String exchange(String kind) {
        return "bench." + kind;
    }

    /** A simulated stream's id, as the publisher addresses it. */
    static String streamId(int s) {
        return String.format("s%04d", s);
    }

    static String streamQueue(int s) {
        return "bench.storage.stream." + streamId(s);
    }

    /** The stream queues consumer {@code i} of {@code consumers} takes: streams i, i + consumers, ... */
    static List<String> streamQueues(int i, int consumers, int streams) {
        List<String> queues = new ArrayList<>();
        for (int s = i; s < streams; s += consumers) {
            queues.add(streamQueue(s));
        }
        return queues;
    }

    /** Writes {@code kind<TAB>body} lines of the fleet's results for {@code seconds}: the sample the publisher replays. */
    static void capture(String addresses, int seconds, Path out) throws Exception {
        Map<String, String> kindOf = Map.of(Exchanges.PROCESSED_FRAMES, "processed_frames",
                Exchanges.SLAM_RESULTS, "slam_results");
        List<String> lines = new ArrayList<>();
        try (Connection connection = connect(addresses, "capture")) {
            Channel channel = connection.createChannel();
            for (Map.Entry<String, String> e : kindOf.entrySet()) {
                String queue = channel.queueDeclare().getQueue();
                channel.queueBind(queue, e.getKey(), "");
                channel.basicConsume(queue, true, new DefaultConsumer(channel) {
                    @Override
                    public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties p, byte[] body) {
                        synchronized (lines) {
                            lines.add(e.getValue() + "\t" + new String(body, StandardCharsets.UTF_8));
                        }
                    }
                });
            }
            Thread.sleep(seconds * 1000L); // the capture window itself, not a wait for an event
        }
        synchronized (lines) {
            Files.write(out, lines);
            System.out.printf("captured %d results%n", lines.size());
        }
    }

    static void topology(String addresses, String mode, int consumers, int streams) throws Exception {
        try (Connection connection = connect(addresses, "topology")) {
            Channel channel = connection.createChannel();
            Map<String, Object> quorum = Map.of("x-queue-type", "quorum");
            for (int s = 0; s < streams; s++) {
                channel.queueDelete(streamQueue(s));
            }
            for (String kind : KINDS) {
                String fanout = exchange(kind);
                String hashed = fanout + ".by_stream";
                channel.exchangeDelete(hashed);
                channel.exchangeDelete(fanout);
                channel.queueDelete("bench.storage." + kind);
                channel.queueDelete("bench.perftest");
                for (int i = 0; i < 8; i++) {
                    channel.queueDelete("bench.storage." + kind + "." + i);
                }
                channel.exchangeDeclare(fanout, BuiltinExchangeType.FANOUT, true);
                switch (mode) {
                    case "shared" -> {
                        channel.queueDeclare("bench.storage." + kind, true, false, false, quorum);
                        channel.queueBind("bench.storage." + kind, fanout, "");
                    }
                    case "by-stream" -> {
                        channel.exchangeDeclare(hashed, "x-consistent-hash", true);
                        channel.exchangeBind(hashed, fanout, "");
                        for (int i = 0; i < consumers; i++) {
                            channel.queueDeclare("bench.storage." + kind + "." + i, true, false, false, quorum);
                            channel.queueBind("bench.storage." + kind + "." + i, hashed, "1");
                        }
                    }
                    case "fanout" -> {
                        for (int i = 0; i < consumers; i++) {
                            channel.queueDeclare("bench.storage." + kind + "." + i, true, false, false, quorum);
                            channel.queueBind("bench.storage." + kind + "." + i, fanout, "");
                        }
                    }
                    case "per-stream" -> {
                        channel.exchangeDeclare(hashed, BuiltinExchangeType.DIRECT, true);
                        channel.exchangeBind(hashed, fanout, "");
                    }
                    default -> throw new IllegalArgumentException("mode: shared | by-stream | fanout | per-stream");
                }
            }
            if (mode.equals("per-stream")) {
                Map<String, Object> single = Map.of("x-queue-type", "quorum", "x-single-active-consumer", true);
                long declaring = System.nanoTime();
                for (int s = 0; s < streams; s++) {
                    channel.queueDeclare(streamQueue(s), true, false, false, single);
                    for (String kind : KINDS) {
                        channel.queueBind(streamQueue(s), exchange(kind) + ".by_stream", streamId(s));
                    }
                }
                System.out.printf("declared and bound %d stream queues in %.1f s%n", streams, (System.nanoTime() - declaring) / 1e9);
            }
        }
    }

    /**
     * A storage-like consumer: one channel per queue, each flushing and acknowledging on its own; or, {@code oneChannel},
     * every queue on one channel, as the archive consumes its stream queues.
     */
    static void consume(String addresses, List<String> queues, boolean oneChannel, Path dir) throws Exception {
        Files.createDirectories(dir);
        AtomicLong messages = new AtomicLong();
        AtomicLong first = new AtomicLong();
        AtomicLong last = new AtomicLong();
        AtomicLong cpuAtFirst = new AtomicLong();
        Connection connection = connect(addresses, "archive");
        List<ArchiveChannel> archives = new ArrayList<>();
        for (List<String> share : oneChannel ? List.of(queues) : queues.stream().map(List::of).toList()) {
            archives.add(new ArchiveChannel(connection.createChannel(), share, dir, messages, first, last, cpuAtFirst));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long stoppedAt = System.nanoTime();
            double cpuS = (cpuNanos() - cpuAtFirst.get()) / 1e9;
            try {
                connection.close(2000);
            } catch (Exception e) {
                // closing anyway
            }
            double activeS = Math.max(1e-3, (last.get() - first.get()) / 1e9);
            double sinceFirstS = Math.max(1e-3, (stoppedAt - first.get()) / 1e9);
            System.out.printf("consumer %s: %d messages, %.0f msg/s over %.1f s, cpu %.0f %% of a core%n",
                    oneChannel ? queues.size() + " stream queues" : String.join(",", queues), messages.get(), messages.get() / activeS, activeS, 100 * cpuS / sinceFirstS);
            stopped.countDown();
        }));
        for (ArchiveChannel archive : archives) {
            archive.start();
        }
        ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor();
        flusher.scheduleWithFixedDelay(() -> {
            for (ArchiveChannel archive : archives) {
                try {
                    archive.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }, FLUSH_MS, FLUSH_MS, TimeUnit.MILLISECONDS);
        stopped.await();
    }

    /** CPU time of this process so far: a consumer's cost is what it spends from its first message on. */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** One channel's deliveries: append to the stream's file, force and acknowledge every {@link #FLUSH_MS}. */
    static final class ArchiveChannel extends DefaultConsumer {
        private final List<String> queues;
        private final Path dir;
        private final AtomicLong messages;
        private final AtomicLong first;
        private final AtomicLong last;
        private final AtomicLong cpuAtFirst;
        private final Map<String, FileChannel> files = new HashMap<>();
        private final Set<FileChannel> written = new HashSet<>();
        private long unacked = -1;

        ArchiveChannel(Channel channel, List<String> queues, Path dir, AtomicLong messages, AtomicLong first, AtomicLong last,
                       AtomicLong cpuAtFirst) {
            super(channel);
            this.queues = queues;
            this.dir = dir;
            this.messages = messages;
            this.first = first;
            this.last = last;
            this.cpuAtFirst = cpuAtFirst;
        }

        void start() throws IOException {
            getChannel().basicQos(PREFETCH);
            for (String queue : queues) {
                getChannel().basicConsume(queue, false, this);
            }
        }

        @Override
        public synchronized void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties p, byte[] body)
                throws IOException {
            long now = System.nanoTime();
            if (first.compareAndSet(0, now)) {
                cpuAtFirst.set(cpuNanos());
            }
            last.set(now);
            JsonNode json = JSON.readTree(body);
            // the archive's file key: the stream, the time its result belongs to (here the hour of capture) and its kind
            String key = json.path("stream_id").asText("unknown") + "." + json.path("capture_ts").asLong() / HOUR_MS
                    + "." + envelope.getExchange();
            FileChannel file = files.get(key);
            if (file == null) {
                file = FileChannel.open(dir.resolve(key + ".jsonl"), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
                files.put(key, file);
            }
            ByteBuffer line = ByteBuffer.allocate(body.length + 1).put(body).put((byte) '\n').flip();
            while (line.hasRemaining()) {
                file.write(line);
            }
            written.add(file);
            unacked = envelope.getDeliveryTag();
            messages.incrementAndGet();
        }

        /** Forces what was written since the last flush, then acknowledges all of it at once. */
        synchronized void flush() throws IOException {
            for (FileChannel f : written) {
                f.force(false);
            }
            written.clear();
            if (unacked >= 0) {
                getChannel().basicAck(unacked, true);
                unacked = -1;
            }
        }
    }

    /** A sample result with its stream id cut out, so that any stream's copy is the two halves around the new id. */
    record Template(String exchange, byte[] before, byte[] after) {
        byte[] forStream(byte[] stream) {
            byte[] body = Arrays.copyOf(before, before.length + stream.length + after.length);
            System.arraycopy(stream, 0, body, before.length, stream.length);
            System.arraycopy(after, 0, body, before.length + stream.length, after.length);
            return body;
        }
    }

    static List<Template> templates(Path sample) throws IOException {
        List<Template> templates = new ArrayList<>();
        for (String line : Files.readAllLines(sample)) {
            int tab = line.indexOf('\t');
            String body = line.substring(tab + 1);
            String id = JSON.readTree(body).path("stream_id").asText();
            String key = "\"stream_id\":\"" + id + "\"";
            int at = body.indexOf(key);
            if (at < 0) {
                continue;
            }
            int idStart = at + key.length() - id.length() - 1;
            templates.add(new Template(exchange(line.substring(0, tab)),
                    body.substring(0, idStart).getBytes(StandardCharsets.UTF_8),
                    body.substring(idStart + id.length()).getBytes(StandardCharsets.UTF_8)));
        }
        if (templates.isEmpty()) {
            throw new IllegalArgumentException(sample + " holds no results with a stream_id");
        }
        return templates;
    }

    static void publish(String addresses, Path sample, int streams, double ratePerStream, int seconds) throws Exception {
        List<Template> templates = templates(sample);
        long bytes = 0;
        for (Template t : templates) {
            bytes += t.before().length + t.after().length + 5;
        }
        System.out.printf("sample: %d results, mean size %d bytes%n", templates.size(), bytes / templates.size());
        ConcurrentSkipListMap<Long, Long> latenciesUs = new ConcurrentSkipListMap<>();
        AtomicLong confirmed = new AtomicLong();
        AtomicLong nacked = new AtomicLong();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> publishers = new ArrayList<>();
        try (Connection connection = connect(addresses, "publish")) {
            for (int p = 0; p < PUBLISHERS; p++) {
                int first = p;
                Channel channel = connection.createChannel();
                Thread t = new Thread(() -> {
                    try {
                        publishShare(channel, templates, first, streams, ratePerStream, start, end, latenciesUs,
                                confirmed, nacked);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, "publisher-" + p);
                publishers.add(t);
                t.start();
            }
            for (Thread t : publishers) {
                t.join();
            }
        }
        double elapsedS = (System.nanoTime() - start) / 1e9;
        long n = latenciesUs.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("published: %.0f msg/s confirmed (asked %.0f), %d nacked, confirm latency p50 %.1f ms, p99 %.1f ms%n",
                confirmed.get() / elapsedS, streams * ratePerStream, nacked.get(), quantile(latenciesUs, n, 0.50) / 1000.0,
                quantile(latenciesUs, n, 0.99) / 1000.0);
    }

    /** Streams {@code first}, {@code first + PUBLISHERS}, ... on one channel, paced, at most {@link #UNCONFIRMED} open. */
    static void publishShare(Channel channel, List<Template> templates, int first, int streams, double ratePerStream,
                             long start, long end, ConcurrentSkipListMap<Long, Long> latenciesUs, AtomicLong confirmed,
                             AtomicLong nacked) throws Exception {
        List<byte[]> ids = new ArrayList<>();
        for (int s = first; s < streams; s += PUBLISHERS) {
            ids.add(streamId(s).getBytes(StandardCharsets.UTF_8));
        }
        double rate = ids.size() * ratePerStream;
        ConcurrentNavigableMap<Long, Long> open = new ConcurrentSkipListMap<>();
        Semaphore window = new Semaphore(UNCONFIRMED);
        channel.confirmSelect();
        channel.addConfirmListener((tag, multiple) -> confirmed.addAndGet(settle(open, tag, multiple, window, latenciesUs)),
                (tag, multiple) -> nacked.addAndGet(settle(open, tag, multiple, window, null)));
        long sent = 0;
        while (true) {
            long due = start + (long) (sent * 1e9 / rate);
            if (due >= end) {
                break;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            byte[] stream = ids.get((int) (sent % ids.size()));
            Template template = templates.get((int) ((sent * 7919 + first) % templates.size()));
            window.acquire();
            open.put(channel.getNextPublishSeqNo(), System.nanoTime());
            channel.basicPublish(template.exchange(), new String(stream, StandardCharsets.UTF_8), PERSISTENT_JSON,
                    template.forStream(stream));
            sent++;
        }
        channel.waitForConfirms(30_000);
    }

    /** Closes the publishes that a confirm (or nack) covers; records their latency when {@code latenciesUs} is given. */
    static int settle(ConcurrentNavigableMap<Long, Long> open, long tag, boolean multiple, Semaphore window,
                      ConcurrentSkipListMap<Long, Long> latenciesUs) {
        Map<Long, Long> done = multiple ? open.headMap(tag, true) : open.containsKey(tag) ? open.subMap(tag, true, tag, true) : Map.of();
        long now = System.nanoTime();
        int n = 0;
        for (Long sentAt : new ArrayList<>(done.values())) {
            if (latenciesUs != null) {
                latenciesUs.merge((now - sentAt) / 1000, 1L, Long::sum);
            }
            n++;
        }
        done.clear();
        window.release(n);
        return n;
    }

    static double quantile(ConcurrentSkipListMap<Long, Long> histogram, long total, double q) {
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (Map.Entry<Long, Long> e : histogram.entrySet()) {
            seen += e.getValue();
            if (seen >= rank) {
                return e.getKey();
            }
        }
        return Double.NaN;
    }
}
