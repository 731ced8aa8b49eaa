package io.visionfleet.common.messages;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A stream appeared on or left the relay ({@code stream_events_exchange}). While it is open the relay also announces it
 * as {@code stream.active} now and then, so that a service (re)started after {@code stream.started} still learns it.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection
public record StreamEvent(String schema, String event, String streamId, String rtspUrl, String source, long ts) {
    public static final String SCHEMA = "stream_event/1";
    public static final String STARTED = "stream.started";
    public static final String STOPPED = "stream.stopped";
    public static final String ACTIVE = "stream.active";

    public static StreamEvent started(String streamId, String rtspUrl, String source, long ts) {
        return new StreamEvent(SCHEMA, STARTED, streamId, rtspUrl, source, ts);
    }

    public static StreamEvent active(String streamId, String rtspUrl, String source, long ts) {
        return new StreamEvent(SCHEMA, ACTIVE, streamId, rtspUrl, source, ts);
    }

    public static StreamEvent stopped(String streamId, String rtspUrl, String source, long ts) {
        return new StreamEvent(SCHEMA, STOPPED, streamId, rtspUrl, source, ts);
    }
}
