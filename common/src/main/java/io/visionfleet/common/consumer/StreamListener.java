package io.visionfleet.common.consumer;

/** Told when a consumer starts or stops pulling a stream (metrics register and remove per-stream meters). */
public interface StreamListener {
    default void followed(StreamState stream) {
    }

    void unfollowed(StreamState stream);
}
