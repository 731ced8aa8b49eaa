package io.visionfleet.ptz.sim;

import io.visionfleet.common.messages.ProcessedFrame;
import io.visionfleet.common.messages.PtzCommand;
import io.visionfleet.common.messages.TrackedObject;
import io.visionfleet.sim.scene.FrameTruth;
import io.visionfleet.ptz.Masks;
import io.visionfleet.ptz.appearance.MaskAppearance;
import io.visionfleet.ptz.appearance.PictureRing;
import io.visionfleet.ptz.config.PtzConfig;
import io.visionfleet.ptz.control.AppearanceSource;
import io.visionfleet.ptz.control.CameraController;
import io.visionfleet.ptz.control.Handoff;
import io.visionfleet.ptz.driver.PtzStatus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The closed loop on simulated cameras with the tracker replaced by the simulator's ground truth: each rendered view's
 * visible actors become a processed frame (box and RLE mask of the visible pixels), delivered to the camera's
 * controller after a pipeline delay, on a clock the loop steps itself (fast and deterministic). The rendered pictures
 * feed each camera's picture ring, as the live feed does. Records per frame and camera what the camera saw of each
 * actor.
 */
final class GroundTruthLoop {
    /**
     * One camera's view of one frame: status, the visible actors' boxes in the picture by actor id, the boxes of the
     * tracks reported for it by track id, its target.
     */
    record Sample(long frame, double timeS, PtzStatus status, Map<Integer, int[]> boxes, Map<Long, int[]> tracks,
                  Long targetId, String targetLabel) {
        /** The runner's box, null when it is not visible. */
        int[] runnerBox() {
            return boxes.get(SimWorld.RUNNER);
        }
    }

    /** A handoff as it was sent ({@code to} the receiving camera), or an acquisition ({@code handoff} null, {@code to} the acquirer). */
    record Event(long ms, long frame, String to, Handoff handoff) {
    }

    private final long[] nanos = {0};
    private final SimWorld world;
    private final double fps;
    private final int delayFrames;
    private final boolean losesIds;
    private final Map<String, Camera> cameras = new LinkedHashMap<>();
    final List<PtzCommand> commands = new ArrayList<>();
    final List<Event> handoffs = new ArrayList<>();
    final List<Event> acquisitions = new ArrayList<>();
    private long currentFrame;

    private final class Camera {
        final SimulatedPtz ptz;
        final CameraController controller;
        final ArrayDeque<ProcessedFrame> pipeline = new ArrayDeque<>();
        final PictureRing ring;
        final TruthIds ids = new TruthIds(losesIds);
        final List<Sample> samples = new ArrayList<>();

        Camera(String id, PtzConfig.Camera config) {
            ptz = Simulators.motors(config, () -> nanos[0]);
            ring = PictureRing.of(config.appearance());
            controller = new CameraController(id, config, ptz, commands::add, () -> nanos[0] / 1_000_000,
                    new CameraController.HandoffRouter() {
                        @Override
                        public boolean send(String to, Handoff handoff) {
                            Camera c = cameras.get(to);
                            if (c != null) {
                                handoffs.add(new Event(nanos[0] / 1_000_000, currentFrame, to, handoff));
                                c.controller.offer(handoff);
                            }
                            return c != null;
                        }

                        @Override
                        public void update(String to, Handoff handoff) {
                            cameras.get(to).controller.update(handoff);
                        }

                        @Override
                        public void acquired(String to, String by) {
                            acquisitions.add(new Event(nanos[0] / 1_000_000, currentFrame, by, null));
                            cameras.get(to).controller.acquiredBy(by);
                        }
                    }, config.appearance().enabled() ? new MaskAppearance(ring) : AppearanceSource.NONE);
        }
    }

    GroundTruthLoop(PtzConfig config, String worldCamera, int delayFrames) {
        this(config, Simulators.world(config.cameras().get(worldCamera)), config.cameras().get(worldCamera).simulator().fps(),
                delayFrames, false);
    }

    /**
     * The cameras of {@code config} looking at {@code world}, played at {@code fps}; with {@code losesIds} the tracker
     * gives an actor a new id each time it shows again after a frame without it ({@link TruthIds}).
     */
    GroundTruthLoop(PtzConfig config, SimWorld world, double fps, int delayFrames, boolean losesIds) {
        this.world = world;
        this.fps = fps;
        this.delayFrames = delayFrames;
        this.losesIds = losesIds;
        nanos[0] = 1_000_000_000_000L; // an epoch far from 0, like a real clock
        config.cameras().forEach((id, c) -> cameras.put(id, new Camera(id, c)));
    }

    SimWorld world() {
        return world;
    }

    CameraController controller(String id) {
        return cameras.get(id).controller;
    }

    List<Sample> samples(String id) {
        return cameras.get(id).samples;
    }

    /** Runs world frames {@code from} until {@code to} (exclusive). */
    void run(long from, long to) {
        byte[] bgr = new byte[world.width() * world.height() * 3];
        byte[] ids = new byte[world.width() * world.height()];
        long frameNanos = Math.round(1e9 / fps);
        for (long f = from; f < to; f++) {
            nanos[0] += frameNanos;
            currentFrame = f;
            long ms = nanos[0] / 1_000_000;
            for (Map.Entry<String, Camera> e : cameras.entrySet()) {
                Camera cam = e.getValue();
                PtzStatus status = cam.ptz.status();
                FrameTruth truth = world.render(status, f, bgr, ids);
                cam.ring.put(ms, bgr, world.width(), world.height());
                List<TrackedObject> objects = new ArrayList<>();
                Map<Integer, int[]> boxes = new HashMap<>();
                Map<Long, int[]> tracks = new HashMap<>();
                Map<Integer, Long> trackIds = cam.ids.frame(truth.objects().stream().filter(FrameTruth.ObjectTruth::counted)
                        .map(FrameTruth.ObjectTruth::id).toList());
                for (FrameTruth.ObjectTruth o : truth.objects()) {
                    boxes.put(o.id(), o.bbox());
                    Long id = trackIds.get(o.id());
                    if (id != null) {
                        objects.add(new TrackedObject(id, "person", 1.0, o.bbox(), o.area(), Masks.rle(truth, o.id()),
                                null));
                        tracks.put(id, o.bbox());
                    }
                }
                cam.pipeline.add(new ProcessedFrame(ProcessedFrame.SCHEMA, e.getKey(), f, ms, world.width(),
                        world.height(), "truth", objects, 0));
                if (cam.pipeline.size() > delayFrames) {
                    cam.controller.onFrame(cam.pipeline.poll());
                }
                cam.controller.tick(false);
                CameraController.Status s = cam.controller.status();
                cam.samples.add(new Sample(f, nanos[0] / 1e9, status, boxes, tracks, s.targetId(), s.targetLabel()));
            }
        }
    }
}
