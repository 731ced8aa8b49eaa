package io.visionfleet.common.consumer;

/**
 * What a service keeps for one stream while it delivers: a tracker, a pipeline, a recorder. {@link RtspConsumer}
 * opens one on the stream's first delivery and closes it exactly once: when the stream is unfollowed, when the
 * consumer closes, or when the stream delivered nothing for {@code fleet.consumer.session-idle-timeout}; a stream
 * that delivers again then gets a fresh one.
 */
public interface StreamSession extends AutoCloseable {
    /** The session of consumers that keep nothing per stream. */
    StreamSession NONE = () -> {
    };

    /** Releases what the session holds. Never runs while a callback uses the session. */
    @Override
    void close();
}
