package io.visionfleet.ingest.testing;

import io.visionfleet.common.bus.Exchanges;
import io.visionfleet.common.testing.Broker;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Stands in for frame-processor in a dashboard test: watches a stream on {@code /ws/view/{stream}} and publishes, on
 * the real broker, a {@code processed_frame/2} with one object (id {@link #OBJECT_ID}) for the capture_ts of every
 * picture, so the page has a result for each picture it shows. It follows the stream across its ends and restarts.
 */
public final class ResultsForEveryPicture implements AutoCloseable {
    public static final int OBJECT_ID = 7;

    private final String path;
    private volatile WsClient viewer;
    private final Broker.Tap tap;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long published;

    private ResultsForEveryPicture(String stream, int width, int height) throws Exception {
        path = "/ws/view/" + stream;
        viewer = WsClient.connect(path);
        tap = Broker.get().tap(Exchanges.PROCESSED_FRAMES);
        thread = new Thread(() -> run(stream, width, height), "results-" + stream);
        thread.setDaemon(true);
        thread.start();
    }

    public static ResultsForEveryPicture of(String stream, int width, int height) throws Exception {
        return new ResultsForEveryPicture(stream, width, height);
    }

    public long published() {
        return published;
    }

    private void run(String stream, int width, int height) {
        try {
            while (running) {
                byte[] picture = viewer.pollBinary(Duration.ofMillis(200));
                if (picture == null) {
                    if (!viewer.isOpen()) { // no such stream yet (4404), or it ended: watch it again
                        viewer.close();
                        viewer = WsClient.connect(path);
                    }
                    continue;
                }
                long ts = ByteBuffer.wrap(picture, 2, 8).getLong();
                String body = "{\"schema\":\"processed_frame/2\",\"stream_id\":\"" + stream + "\",\"frame_number\":" + published
                        + ",\"capture_ts\":" + ts + ",\"width\":" + width + ",\"height\":" + height + ",\"objects\":[{\"id\":"
                        + OBJECT_ID + ",\"label\":\"object\",\"score\":0.9,\"bbox\":[" + width / 4 + "," + height / 4 + ","
                        + width / 2 + "," + height / 2 + "]}]}";
                tap.publishRaw(Exchanges.PROCESSED_FRAMES, body.getBytes(StandardCharsets.UTF_8));
                published++;
            }
        } catch (Exception e) {
            if (running) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        thread.join(5_000);
        viewer.close();
        tap.close();
    }
}
