package io.visionfleet.common.bus;

import java.util.List;

/** Fanout exchange names shared by publishers, consumers and tests (names kept from the original drone system). */
public final class Exchanges {
    public static final String STREAM_EVENTS = "stream_events_exchange";
    public static final String IMU_DATA = "imu_data_exchange";
    public static final String PROCESSED_FRAMES = "processed_frames_exchange";
    public static final String SLAM_RESULTS = "slam_results_exchange";
    public static final String PTZ_COMMANDS = "ptz_commands_exchange";
    public static final String RECORDINGS = "recordings_exchange";
    /** Inbound: prompts and removals for frame-processor from dashboards and other services. */
    public static final String PROCESSOR_PROMPTS = "processor_prompts_exchange";

    /** The outbound exchanges services publish results to (declared at connect, tapped by the inspect queues). */
    public static final List<String> ALL =
            List.of(STREAM_EVENTS, IMU_DATA, PROCESSED_FRAMES, SLAM_RESULTS, PTZ_COMMANDS, RECORDINGS);

    /**
     * The exchanges storage archives from durable queues: their messages are published persistent, so what waits in
     * those queues survives a broker restart.
     */
    public static final List<String> ARCHIVED = List.of(PROCESSED_FRAMES, SLAM_RESULTS, PTZ_COMMANDS, IMU_DATA);

    /**
     * The direct exchange bound behind fanout {@code exchange} that routes its messages by routing key, the stream id
     * (every publisher sets it): a consumer that needs only some streams binds a queue here, one binding per stream.
     */
    public static String byStream(String exchange) {
        return exchange + ".by_stream";
    }

    private Exchanges() {
    }
}
