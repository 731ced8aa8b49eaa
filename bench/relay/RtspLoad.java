import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * RTSP fan-out load driver: N readers play one URL over TCP interleaved, depacketize nothing but watch every RTP
 * packet, count packets missing from the sequence, and for each picture (marker bit) take the latency from its
 * capture time to its arrival. The capture
 * time is what the server's RTCP sender reports say: NTP time of the report plus the RTP distance to the picture.
 * Pictures are not decoded, so the driver stays cheap enough to run 32 readers beside the server.
 *
 * <p>Usage: {@code java RtspLoad.java <rtsp-url> <readers> <seconds> [warm-up seconds]}; prints one line.
 */
public class RtspLoad {
    private static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;
    private static final Clock CLOCK = Clock.systemUTC();

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        int readers = Integer.parseInt(args[1]);
        double seconds = Double.parseDouble(args[2]);
        double warmUp = args.length > 3 ? Double.parseDouble(args[3]) : 3;
        long startMicros = micros(CLOCK.instant());
        long measureFrom = startMicros + (long) (warmUp * 1e6);
        long measureTo = measureFrom + (long) (seconds * 1e6);

        List<Reader> all = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(readers);
        for (int i = 0; i < readers; i++) {
            Reader reader = new Reader(url, measureFrom, measureTo);
            all.add(reader);
            Thread thread = new Thread(() -> {
                try {
                    reader.run();
                } catch (Exception e) {
                    reader.failure = e;
                } finally {
                    done.countDown();
                }
            }, "reader-" + i);
            thread.setDaemon(true);
            thread.start();
        }
        done.await();
        if (readers == 0) { // a baseline: the server's own cost with nobody reading
            Thread.sleep(Math.max(0, (measureTo - micros(CLOCK.instant())) / 1000));
        }

        long pictures = 0;
        long missing = 0;
        int failed = 0;
        int n = 0;
        for (Reader r : all) {
            pictures += r.pictures;
            missing += r.missing;
            n += r.latencyCount;
            if (r.failure != null) {
                failed++;
                System.err.println("reader failed: " + r.failure);
            }
        }
        double[] latencies = new double[n];
        int k = 0;
        for (Reader r : all) {
            System.arraycopy(r.latencies, 0, latencies, k, r.latencyCount);
            k += r.latencyCount;
        }
        Arrays.sort(latencies);
        System.out.printf(Locale.ROOT,
                "readers=%d failed=%d pictures=%d fps_per_reader=%.1f sequence_gaps=%d latency_ms_p50=%.1f p99=%.1f max=%.1f%n",
                readers, failed, pictures, readers == 0 ? 0 : pictures / seconds / readers, missing, percentile(latencies, 0.50),
                percentile(latencies, 0.99), latencies.length == 0 ? Double.NaN : latencies[latencies.length - 1]);
    }

    private static double percentile(double[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
    }

    static final class Reader {
        private final URI url;
        private final long measureFrom;
        private final long measureTo;
        private DataInputStream in;
        private OutputStream out;
        private int cseq;
        private String session;
        // latest sender report: NTP time (µs since 1970) and RTP time of the same instant
        private long srMicros = Long.MIN_VALUE;
        private int srRtp;
        private int lastSequence = -1;
        long pictures;
        long missing;
        double[] latencies = new double[1024];
        int latencyCount;
        volatile Exception failure;

        Reader(URI url, long measureFrom, long measureTo) {
            this.url = url;
            this.measureFrom = measureFrom;
            this.measureTo = measureTo;
        }

        void run() throws IOException {
            try (Socket socket = new Socket(url.getHost(), url.getPort())) {
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(10_000);
                in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
                out = socket.getOutputStream();
                String[] describe = request("DESCRIBE", url.toString(), "Accept: application/sdp");
                String base = header(describe, "Content-Base");
                base = base == null ? url + "/" : base;
                String control = control(describe[describe.length - 1]);
                String trackUrl = control.startsWith("rtsp://") ? control : base + control;
                String[] setup = request("SETUP", trackUrl, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
                session = header(setup, "Session").split(";")[0];
                request("PLAY", base, "User-Agent: rtsp-load"); // no Range: servers of non-seekable media refuse one
                while (micros(CLOCK.instant()) < measureTo) {
                    int first = in.readUnsignedByte();
                    if (first != '$') {
                        skipResponse(first);
                        continue;
                    }
                    int channel = in.readUnsignedByte();
                    byte[] packet = new byte[in.readUnsignedShort()];
                    in.readFully(packet);
                    long now = micros(CLOCK.instant());
                    if (channel == 1) {
                        senderReport(packet);
                    } else if (channel == 0 && packet.length >= 12) {
                        sequence(((packet[2] & 0xff) << 8) | (packet[3] & 0xff), now);
                        if ((packet[1] & 0x80) != 0) {
                            picture(readInt(packet, 4), now);
                        }
                    }
                }
            }
        }

        /** Packets the server numbered but never sent (a server that drops for a slow reader leaves such gaps). */
        private void sequence(int sequence, long now) {
            if (lastSequence >= 0 && now >= measureFrom) {
                missing += (sequence - lastSequence - 1) & 0xffff;
            }
            lastSequence = sequence;
        }

        private void picture(int rtp, long now) {
            if (now < measureFrom || srMicros == Long.MIN_VALUE) {
                return;
            }
            pictures++;
            double captureMicros = srMicros + (rtp - srRtp) * (1e6 / 90_000);
            if (latencyCount == latencies.length) {
                latencies = Arrays.copyOf(latencies, latencyCount * 2);
            }
            latencies[latencyCount++] = (now - captureMicros) / 1000.0;
        }

        /** Compound RTCP: the sender report's NTP and RTP times. */
        private void senderReport(byte[] rtcp) {
            for (int offset = 0; offset + 20 <= rtcp.length; ) {
                int type = rtcp[offset + 1] & 0xff;
                int length = (((rtcp[offset + 2] & 0xff) << 8 | (rtcp[offset + 3] & 0xff)) + 1) * 4;
                if (type == 200 && offset + 20 <= rtcp.length) {
                    long seconds = (readInt(rtcp, offset + 8) & 0xffffffffL) - NTP_UNIX_OFFSET_SECONDS;
                    long fraction = readInt(rtcp, offset + 12) & 0xffffffffL;
                    srMicros = seconds * 1_000_000 + ((fraction * 1_000_000) >>> 32);
                    srRtp = readInt(rtcp, offset + 16);
                }
                offset += length;
            }
        }

        private String[] request(String method, String uri, String header) throws IOException {
            StringBuilder text = new StringBuilder(method).append(' ').append(uri).append(" RTSP/1.0\r\nCSeq: ")
                    .append(++cseq).append("\r\n").append(header).append("\r\n");
            if (session != null) {
                text.append("Session: ").append(session).append("\r\n");
            }
            out.write(text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            int first = in.readUnsignedByte();
            while (first == '$') {
                in.readUnsignedByte();
                in.skipNBytes(in.readUnsignedShort());
                first = in.readUnsignedByte();
            }
            String[] response = readMessage(first);
            if (!response[0].contains(" 200 ")) {
                throw new IOException(method + " " + uri + ": " + response[0]);
            }
            return response;
        }

        private void skipResponse(int first) throws IOException {
            readMessage(first);
        }

        /** Header lines, then the body as the last element. */
        private String[] readMessage(int first) throws IOException {
            StringBuilder head = new StringBuilder().append((char) first);
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.readUnsignedByte());
            }
            String[] lines = head.toString().split("\r\n");
            String length = header(lines, "Content-Length");
            byte[] body = new byte[length == null ? 0 : Integer.parseInt(length.trim())];
            in.readFully(body);
            String[] message = Arrays.copyOf(lines, lines.length + 1);
            message[lines.length] = new String(body, StandardCharsets.UTF_8);
            return message;
        }

        private static String header(String[] lines, String name) {
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        /** The first media's control attribute of an SDP. */
        private static String control(String sdp) {
            boolean inMedia = false;
            for (String line : sdp.split("\r?\n")) {
                inMedia |= line.startsWith("m=");
                if (inMedia && line.startsWith("a=control:")) {
                    return line.substring("a=control:".length()).trim();
                }
            }
            return "";
        }

        private static int readInt(byte[] b, int i) {
            return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
        }
    }
}
