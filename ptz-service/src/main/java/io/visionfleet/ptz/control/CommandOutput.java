package io.visionfleet.ptz.control;

import io.visionfleet.common.messages.ProcessedFrame;
import io.visionfleet.common.messages.PtzCommand;
import io.visionfleet.ptz.driver.PtzDriver;
import io.visionfleet.ptz.driver.PtzStatus;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Speeds to the camera and every command to the bus. A speed change is sent when it is worth it (2 % or more, to or
 * from zero), an unchanged move is renewed every {@link #KEEP_ALIVE_MS}, and no command goes out sooner than the
 * command interval after the last.
 */
final class CommandOutput {
    /** A speed change smaller than this is not worth a command. */
    static final double SPEED_STEP = 0.02;
    /** An unchanged move is repeated this often: drivers stop a continuous move that is not renewed (a dead man's switch). */
    static final long KEEP_ALIVE_MS = 250;

    /** What each published command says of the controller: its policy, mode and target label. */
    record Context(String policy, String mode, String targetLabel) {
    }

    private final String cameraId;
    private final String stream;
    private final PtzDriver driver;
    private final Consumer<PtzCommand> sink;
    private final LongSupplier clockMs;
    private final long intervalMs;
    private final Supplier<Context> context;
    private long lastCommandMs = Long.MIN_VALUE / 2;
    private double[] sent = {0, 0, 0};

    CommandOutput(String cameraId, String stream, PtzDriver driver, Consumer<PtzCommand> sink, LongSupplier clockMs,
                  Duration interval, Supplier<Context> context) {
        this.cameraId = cameraId;
        this.stream = stream;
        this.driver = driver;
        this.sink = sink;
        this.clockMs = clockMs;
        this.intervalMs = interval.toMillis();
        this.context = context;
    }

    /** The speeds last sent (pan, tilt, zoom; normalised). */
    double[] sent() {
        return sent;
    }

    /** True when the last speeds sent were all zero. */
    boolean still() {
        return isZero(sent);
    }

    /** The camera was moved otherwise (absolute move, preset): no velocity is running. */
    void forgetSpeeds() {
        sent = new double[]{0, 0, 0};
    }

    /** Whether {@code speeds} are worth a command now. */
    boolean changed(double[] speeds) {
        long now = clockMs.getAsLong();
        if (now - lastCommandMs < intervalMs) {
            return false;
        }
        if (!isZero(speeds) && now - lastCommandMs >= KEEP_ALIVE_MS) {
            return true;
        }
        for (int i = 0; i < 3; i++) {
            boolean toOrFromZero = (speeds[i] == 0) != (sent[i] == 0);
            if (toOrFromZero || Math.abs(speeds[i] - sent[i]) >= SPEED_STEP) {
                return true;
            }
        }
        return false;
    }

    /** A relative move (a stop when every speed is zero), published as {@code name}. */
    void move(String name, ProcessedFrame frame, double pan, double tilt, double zoom, Long target) {
        if (pan == 0 && tilt == 0 && zoom == 0) {
            driver.stop();
        } else {
            driver.moveRelative(pan, tilt, zoom);
        }
        sent = new double[]{pan, tilt, zoom};
        lastCommandMs = clockMs.getAsLong();
        publish(name, frame, pan, tilt, zoom, driver.status(), target);
    }

    /** Publishes a command; the speeds {@code a, b, c} only go out with {@code move_relative}. */
    void publish(String name, ProcessedFrame frame, Double a, Double b, Double c, PtzStatus s, Long target) {
        Context ctx = context.get();
        boolean relative = name.equals("move_relative");
        sink.accept(new PtzCommand(PtzCommand.SCHEMA, cameraId, stream,
                frame == null ? 0 : frame.frameNumber(), frame == null ? 0 : frame.captureTs(), name, ctx.policy(),
                relative ? a : null, relative ? b : null, relative ? c : null, s.panDeg(), s.tiltDeg(), s.zoom(),
                target, ctx.mode(), ctx.targetLabel(), System.currentTimeMillis()));
    }

    private static boolean isZero(double[] v) {
        return v[0] == 0 && v[1] == 0 && v[2] == 0;
    }
}
