package io.visionfleet.ingest.testing;

import io.visionfleet.ingest.relay.RelayConfig;
import io.visionfleet.ingest.relay.RelayStream;
import io.visionfleet.ingest.stream.StreamRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The running application's relay as tests address it: URLs on its configured port (so the suite runs on any
 * {@code fleet.relay.port}) and streams fed with a clip.
 */
@ApplicationScoped
public class TestRelay {
    @Inject
    StreamRegistry registry;
    @Inject
    RelayConfig config;

    public int port() {
        return config.port();
    }

    /** The URL a reader on this machine plays {@code path} at; {@code url("")} is the base URL consumers take. */
    public String url(String path) {
        return "rtsp://127.0.0.1:" + config.port() + "/" + path;
    }

    /** The URL the relay announces for stream {@code id} (its advertised host is localhost in tests). */
    public String advertisedUrl(String id) {
        return "rtsp://localhost:" + config.port() + "/" + id;
    }

    /** Opens stream {@code id} and plays the clip into it in a loop. */
    public FedStream feed(String id, ReferenceClip clip) {
        return feed(id, clip, Long.MAX_VALUE);
    }

    /** Opens stream {@code id} and publishes {@code pictures} pictures of the clip into it, looping when it has fewer. */
    public FedStream feed(String id, ReferenceClip clip, long pictures) {
        RelayStream stream = registry.open(id, "test");
        return new FedStream(stream, PacedFeed.into(stream, clip, pictures));
    }

    /** A relay stream and the feed playing into it; closing stops the feed and closes the stream. */
    public final class FedStream implements AutoCloseable {
        private final RelayStream stream;
        private final PacedFeed feed;

        private FedStream(RelayStream stream, PacedFeed feed) {
            this.stream = stream;
            this.feed = feed;
        }

        public RelayStream stream() {
            return stream;
        }

        public PacedFeed feed() {
            return feed;
        }

        @Override
        public void close() throws InterruptedException {
            try {
                feed.close();
            } finally {
                registry.close(stream);
            }
        }
    }
}
