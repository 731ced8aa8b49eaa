package io.visionfleet.ptz.control;

import io.visionfleet.common.messages.ProcessedFrame;
import io.visionfleet.common.messages.PtzCommand;
import io.visionfleet.common.messages.TrackedObject;
import io.visionfleet.ptz.TestConfigs;
import io.visionfleet.ptz.config.PtzConfig;
import io.visionfleet.ptz.sim.SimulatedPtz;
import io.visionfleet.ptz.sim.Simulators;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Every policy and option of one controller on simulated motors (80 ms latency, speed and zoom-rate limits), fed
 * results at once from people placed at world bearings and projected into the camera's current view: follow by
 * largest, fastest and id, {@code center_group} with its margin and zoom, the release of a standing target with the
 * return to preset 1, and the manual hold with its two ways back to automatic control.
 */
@Tag("quick")
class PoliciesOnMotorsTest {
    private static final int W = 640;
    private static final int H = 360;
    private static final long FRAME_MS = 67;

    /** A person at a world bearing (degrees), its box {@code widthDeg} × {@code heightDeg}. */
    private record Person(long id, double panDeg, double tiltDeg, double widthDeg, double heightDeg) {
        Person at(double pan) {
            return new Person(id, pan, tiltDeg, widthDeg, heightDeg);
        }
    }

    /** A command as the controller published it, with the test clock's time. */
    private record Sent(long ms, PtzCommand command) {
    }

    private final long[] nowMs = {1_000_000};
    private final List<Sent> commands = new ArrayList<>();
    private long frameNumber;
    private PtzConfig.Camera config;
    private Optics optics;
    private SimulatedPtz motors;
    private CameraController c;

    private void camera(Map<String, String> keys) {
        Map<String, String> all = new HashMap<>(Map.of("cameras.c.stream", "c", "cameras.c.appearance.enabled", "false"));
        all.putAll(keys);
        config = TestConfigs.ptz(all).cameras().get("c");
        optics = new Optics(config.hfovDeg(), W, H);
        motors = Simulators.motors(config, () -> nowMs[0] * 1_000_000);
        c = new CameraController("c", config, motors, cmd -> commands.add(new Sent(nowMs[0], cmd)), () -> nowMs[0],
                new RecordingRouter(false), AppearanceSource.NONE);
    }

    // ---------------------------------------------------------------- follow by

    @Test
    void followByLargestTakesTheLargerPersonAndCentresIt() {
        camera(Map.of("cameras.c.control.follow-by", "largest"));
        Person small = new Person(7, -6, 0, 2, 6);
        Person large = new Person(8, 8, 0, 4, 12);
        run(45, small, large); // 3 s
        assertThat(c.status().targetId()).isEqualTo(8L);
        assertCentredOn(8, 0.3);
        assertThat(relativeMoves()).isNotEmpty().allSatisfy(m -> assertThat(m.targetId()).isEqualTo(8L));
        assertThat(relativeMoves().get(0).panSpeed()).as("first move turns right, towards +8").isPositive();
    }

    @Test
    void followByFastestTakesTheQuickestWalkerAndKeepsUpWithIt() {
        camera(Map.of("cameras.c.control.follow-by", "fastest"));
        Person standing = new Person(7, 0, 0, 4, 12); // the largest, but still
        Person slow = new Person(8, -5, 0, 2, 6);
        Person fast = new Person(9, 5, 0, 2, 6);
        for (int f = 0; f < 60; f++) { // 4 s: slow at 1 deg/s, fast at 4 deg/s
            double t = f * FRAME_MS / 1000.0;
            frame(standing, slow.at(-5 + t), fast.at(5 + 4 * t));
        }
        double fastNow = 5 + 4 * 59 * FRAME_MS / 1000.0;
        assertThat(c.status().targetId()).isEqualTo(9L);
        assertThat(c.status().followBy()).isEqualTo("fastest");
        assertCentredOn(fastNow, 1.0);
    }

    @Test
    void followByFastestFollowsNothingWhenNothingMoves() {
        camera(Map.of("cameras.c.control.follow-by", "fastest"));
        run(30, new Person(7, 5, 0, 4, 12), new Person(8, -5, 0, 2, 6));
        assertThat(c.status().targetId()).isNull();
        assertThat(relativeMoves()).isEmpty();
        assertThat(motors.status().panDeg()).isEqualTo(0.0);
    }

    @Test
    void followByIdTakesTheWantedTrackOverALargerOne() {
        camera(Map.of());
        Person large = new Person(7, -8, 0, 4, 12);
        Person wanted = new Person(8, 9, 0, 2, 6);
        run(30, large, wanted);
        assertThat(c.status().targetId()).as("largest by default").isEqualTo(7L);
        c.configure(null, null, null, 8L, null);
        assertThat(c.status().followBy()).isEqualTo("id");
        commands.clear();
        run(45, large, wanted);
        assertThat(c.status().targetId()).isEqualTo(8L);
        assertCentredOn(9, 0.3);
        assertThat(relativeMoves()).isNotEmpty().allSatisfy(m -> assertThat(m.targetId()).isEqualTo(8L));
    }

    @Test
    void followByIdFollowsNothingWhileTheWantedTrackIsAbsent() {
        camera(Map.of());
        c.configure(null, null, null, 42L, null);
        run(30, new Person(7, 8, 0, 4, 12));
        assertThat(c.status().targetId()).isNull();
        assertThat(relativeMoves()).isEmpty();
        assertThat(motors.status().panDeg()).isEqualTo(0.0);
    }

    // ---------------------------------------------------------------- center_group

    @Test
    void centerGroupKeepsTheGroupsBoxInFrameWithItsMarginAndZoomFollowsItsSpread() {
        camera(Map.of("cameras.c.control.policy", "center_group", "cameras.c.pan-min", "-60", "cameras.c.pan-max", "60",
                "cameras.c.home-pan", "-10"));
        Person a = new Person(7, 0, 0, 1, 2);
        Person b = new Person(8, 3, 0, 1, 2);
        run(75, a, b); // 5 s: two people 3 degrees apart, far off, centred on +1.5
        double closeZoom = motors.status().zoom();
        assertCentredOn(1.5, 0.2);
        assertThat(c.status().targetLabel()).isEqualTo("group");
        assertThat(c.status().targetId()).isNull();
        assertThat(framedFraction(a, b)).as("framed height in the band").isBetween(0.24, 0.46);
        assertThat(closeZoom).as("zoomed in on a tight group").isGreaterThan(2.4);
        assertGroupInFrameWithMargin(a, b);

        // they walk apart, to -6 at 3 deg/s and to +12 at 4.5 deg/s (2 s): the camera zooms out, keeping both in frame
        for (int f = 0; f < 30; f++) {
            double t = f * FRAME_MS / 1000.0;
            frame(a.at(Math.max(-6, -3 * t)), b.at(Math.min(12, 3 + 4.5 * t)));
            assertGroupInFrame(a.at(Math.max(-6, -3 * t)), b.at(Math.min(12, 3 + 4.5 * t)));
        }
        Person aFar = a.at(-6);
        Person bFar = b.at(12);
        run(60, aFar, bFar);
        double farZoom = motors.status().zoom();
        assertThat(farZoom).as("zoom follows the spread").isLessThan(closeZoom * 0.6);
        assertCentredOn(3, 0.2);
        assertThat(framedFraction(aFar, bFar)).isBetween(0.24, 0.46);
        assertGroupInFrameWithMargin(aFar, bFar);
    }

    @Test
    void centerGroupOfOnePersonFramesThatPerson() {
        camera(Map.of("cameras.c.control.policy", "center_group"));
        run(45, new Person(7, -7, 2, 2, 6));
        assertThat(c.status().targetLabel()).isEqualTo("person");
        assertCentredOn(-7, 0.2);
        double zoom = motors.status().zoom();
        assertThat(motors.status().tiltDeg())
                .isCloseTo(2, within(config.control().deadZone() * optics.vfovDeg(zoom) / 2 + 0.2));
    }

    // ---------------------------------------------------------------- release and return home

    @Test
    void aStandingTargetIsReleasedAfterTheTimeoutThenTheCameraReturnsToItsPresetAndTakesItAgainWhenItWalks() {
        camera(Map.of("cameras.c.control.stationary-release", "3s", "cameras.c.control.return-home-after", "2s",
                "cameras.c.home-pan", "-60", "cameras.c.pan-min", "-90", "cameras.c.pan-max", "90"));
        Person p = new Person(7, -50, 0, 2, 6);
        double pan = -50;
        for (int f = 0; f < 45; f++) { // 3 s walking right at 4 deg/s
            pan += 4 * FRAME_MS / 1000.0;
            frame(p.at(pan));
        }
        assertThat(c.status().targetId()).isEqualTo(7L);
        long stoodAt = nowMs[0];
        Person standing = p.at(pan);
        // standing: followed for a while, then let go
        while (c.status().targetId() != null && nowMs[0] - stoodAt < 10_000) {
            frame(standing);
        }
        long releasedAt = nowMs[0];
        assertThat(releasedAt - stoodAt).as("released after the 3 s stationary timeout (plus the filter settling)")
                .isBetween(3000L, 5000L);
        assertCentredOn(pan, 0.3);
        int sinceRelease = commands.size();
        // nothing else to frame: preset 1 after return-home-after, and the standing person is not taken again
        while (commands.stream().noneMatch(s -> s.command().command().equals("go_preset")) && nowMs[0] - releasedAt < 10_000) {
            frame(standing);
            assertThat(c.status().targetId()).as("released while it stands").isNull();
        }
        Sent home = lastCommand();
        assertThat(home.command().command()).isEqualTo("go_preset");
        assertThat(home.ms() - releasedAt).as("return-home-after the last aim, a frame before the release")
                .isBetween(2000L - FRAME_MS, 2000L + FRAME_MS);
        assertThat(commands.subList(sinceRelease, commands.size())).as("no move after the release")
                .noneMatch(s -> s.command().command().equals("move_relative"));
        run(60, standing);
        assertThat(motors.status().panDeg()).as("home").isCloseTo(-60, within(1e-6));
        assertThat(motors.status().zoom()).isCloseTo(1, within(1e-6));
        assertThat(c.status().targetId()).isNull();
        // it walks again, into the home view: followed again
        for (int f = 0; f < 60; f++) {
            pan -= 4 * FRAME_MS / 1000.0;
            frame(p.at(pan));
        }
        assertThat(c.status().targetId()).isEqualTo(7L);
        assertCentredOn(pan, 1.0);
    }

    // ---------------------------------------------------------------- manual override

    @Test
    void aManualMoveHoldsAutomaticControlOffForTheHoldThenFollowingResumes() {
        camera(Map.of("cameras.c.control.manual-hold", "3s"));
        Person p = new Person(7, 5, 0, 2, 6);
        run(45, p);
        assertCentredOn(5, 0.3);
        long movedAt = nowMs[0];
        c.manual(() -> motors.moveTo(20, 0, 1), "move_to", null, null, null);
        assertThat(c.status().manualUntilMs()).isEqualTo(movedAt + 3000);
        assertThat(c.status().mode()).isEqualTo("auto");
        commands.clear();
        while (nowMs[0] < movedAt + 2900) {
            frame(p);
        }
        assertThat(commands).as("nothing automatic during the hold").isEmpty();
        assertThat(motors.status().panDeg()).as("where the manual move put it").isCloseTo(20, within(1e-6));
        assertThat(c.status().targetId()).as("the person is still in the picture").isEqualTo(7L);
        run(45, p);
        assertThat(relativeMoves()).as("automatic control is back").isNotEmpty();
        assertThat(commands.get(0).ms()).isGreaterThanOrEqualTo(movedAt + 3000);
        assertThat(relativeMoves().get(0).panSpeed()).as("turning back left to the person").isNegative();
        assertCentredOn(5, 0.3);
    }

    @Test
    void anExplicitAutoModeEndsTheManualHoldAtOnce() {
        camera(Map.of("cameras.c.control.manual-hold", "15s"));
        Person p = new Person(7, 5, 0, 2, 6);
        c.manual(() -> motors.moveTo(-10, 0, 1), "move_to", null, null, null);
        run(30, p);
        assertThat(relativeMoves()).isEmpty();
        assertThat(motors.status().panDeg()).isCloseTo(-10, within(1e-6));
        c.configure(Mode.AUTO, null, null, null, null);
        assertThat(c.status().manualUntilMs()).isZero();
        run(45, p);
        assertThat(relativeMoves()).isNotEmpty();
        assertCentredOn(5, 0.3);
    }

    @Test
    void manualModeFollowsNothingUntilAutoIsSetAgain() {
        camera(Map.of("cameras.c.control.mode", "manual"));
        Person p = new Person(7, 8, 0, 2, 6);
        run(30, p);
        assertThat(commands).isEmpty();
        assertThat(c.status().targetId()).isNull();
        c.configure(Mode.AUTO, null, null, null, null);
        run(45, p);
        assertThat(c.status().targetId()).isEqualTo(7L);
        assertCentredOn(8, 0.3);
    }

    // ---------------------------------------------------------------- helpers

    private void run(int frames, Person... people) {
        for (int f = 0; f < frames; f++) {
            frame(people);
        }
    }

    /** One result, delivered at once: the people inside the camera's current view, projected into its picture. */
    private void frame(Person... people) {
        nowMs[0] += FRAME_MS;
        List<TrackedObject> objects = new ArrayList<>();
        for (Person p : people) {
            int[] box = box(p);
            double cx = box[0] + box[2] / 2.0;
            double cy = box[1] + box[3] / 2.0;
            if (cx >= 0 && cx < W && cy >= 0 && cy < H) {
                objects.add(new TrackedObject(p.id(), "person", 1.0, box, (long) box[2] * box[3], null, null));
            }
        }
        c.onFrame(new ProcessedFrame(ProcessedFrame.SCHEMA, "c", frameNumber++, nowMs[0], W, H, "test", objects, 0));
        c.tick(false);
    }

    /** The person's box {x, y, w, h} in the camera's picture now. */
    private int[] box(Person p) {
        var s = motors.status();
        double left = W / 2.0 + optics.pixels(p.panDeg() - p.widthDeg() / 2 - s.panDeg(), s.zoom());
        double right = W / 2.0 + optics.pixels(p.panDeg() + p.widthDeg() / 2 - s.panDeg(), s.zoom());
        double top = H / 2.0 - optics.pixels(p.tiltDeg() + p.heightDeg() / 2 - s.tiltDeg(), s.zoom());
        double bottom = H / 2.0 - optics.pixels(p.tiltDeg() - p.heightDeg() / 2 - s.tiltDeg(), s.zoom());
        return new int[]{(int) Math.round(left), (int) Math.round(top), (int) Math.round(right - left),
                (int) Math.round(bottom - top)};
    }

    /** The group box's framed size with the margin, as a fraction of the picture's height (what the zoom holds). */
    private double framedFraction(Person... people) {
        int[] g = groupBox(people);
        return Math.max(g[3], g[2] * (double) H / W) * (1 + config.control().groupMargin()) / H;
    }

    private int[] groupBox(Person... people) {
        int left = Integer.MAX_VALUE;
        int top = Integer.MAX_VALUE;
        int right = Integer.MIN_VALUE;
        int bottom = Integer.MIN_VALUE;
        for (Person p : people) {
            int[] b = box(p);
            left = Math.min(left, b[0]);
            top = Math.min(top, b[1]);
            right = Math.max(right, b[0] + b[2]);
            bottom = Math.max(bottom, b[1] + b[3]);
        }
        return new int[]{left, top, right - left, bottom - top};
    }

    private void assertGroupInFrame(Person... people) {
        int[] g = groupBox(people);
        assertThat(g[0]).as("group's left edge in the picture").isGreaterThanOrEqualTo(0);
        assertThat(g[0] + g[2]).as("group's right edge in the picture").isLessThanOrEqualTo(W);
    }

    /** Settled: the box with its margin on each side fits inside the picture, and it is centred. */
    private void assertGroupInFrameWithMargin(Person... people) {
        int[] g = groupBox(people);
        double margin = config.control().groupMargin() / 2 * g[2];
        assertThat(g[0] - margin).as("left margin").isGreaterThanOrEqualTo(0);
        assertThat(g[0] + g[2] + margin).as("right margin").isLessThanOrEqualTo(W);
        assertThat(g[1] - config.control().groupMargin() / 2 * g[3]).isGreaterThanOrEqualTo(0);
        assertThat(g[1] + g[3] * (1 + config.control().groupMargin() / 2)).isLessThanOrEqualTo(H);
        assertThat(g[0] + g[2] / 2.0).as("centred").isCloseTo(W / 2.0, within(0.05 * W));
    }

    /** The camera's pan within the dead-zone (of the current field of view) plus {@code slackDeg} of {@code panDeg}. */
    private void assertCentredOn(double panDeg, double slackDeg) {
        double zone = config.control().deadZone() * optics.hfovDeg(motors.status().zoom()) / 2;
        assertThat(motors.status().panDeg()).as("pan, dead-zone %.2f deg", zone).isCloseTo(panDeg, within(zone + slackDeg));
    }

    private List<PtzCommand> relativeMoves() {
        return commands.stream().map(Sent::command).filter(m -> m.command().equals("move_relative")).toList();
    }

    private Sent lastCommand() {
        return commands.get(commands.size() - 1);
    }
}
