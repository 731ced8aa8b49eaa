package io.visionfleet.storage.results;

import io.visionfleet.common.bus.Exchanges;

import java.util.Arrays;
import java.util.Optional;

/** The result exchanges storage archives, each to its own durable queue and its own JSON Lines files. */
public enum ResultKind {
    PROCESSED_FRAMES(Exchanges.PROCESSED_FRAMES, "processed_frames"),
    SLAM_RESULTS(Exchanges.SLAM_RESULTS, "slam_results"),
    PTZ_COMMANDS(Exchanges.PTZ_COMMANDS, "ptz_commands"),
    IMU_DATA(Exchanges.IMU_DATA, "imu_data");

    private final String exchange;
    private final String fileName;

    ResultKind(String exchange, String fileName) {
        this.exchange = exchange;
        this.fileName = fileName;
    }

    public String exchange() {
        return exchange;
    }

    /** The kind's name in file names, queue names and the API ({@code processed_frames}, ...). */
    public String fileName() {
        return fileName;
    }

    public static Optional<ResultKind> byName(String name) {
        return Arrays.stream(values()).filter(k -> k.fileName.equals(name)).findFirst();
    }
}
