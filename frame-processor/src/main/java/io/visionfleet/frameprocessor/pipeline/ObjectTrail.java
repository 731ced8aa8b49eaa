package io.visionfleet.frameprocessor.pipeline;

import io.visionfleet.frameprocessor.engine.EngineObject;
import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.prompt.Prompt;
import io.visionfleet.frameprocessor.prompt.PromptPoint;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Where each object was in the last frames, by capture time. A viewer prompts on a picture that is 100-300 ms old
 * (the dashboard's capture to drawn), and the prompt reaches the engine with a later frame, in which a moving object
 * has moved on: a click on the object as it was seen lands behind it ("no moving region under the prompt"). The trail
 * carries such a prompt along with the object it was made on, by that object's motion from the picture seen to the
 * frame the prompt is applied to.
 */
final class ObjectTrail {
    /** Frames kept: 2 s at 30 fps. A prompt on an older picture is applied as given. */
    static final int FRAMES = 64;
    /** A picture this far from every kept frame is not one of them (a clock apart, a picture long gone). */
    static final long MATCH_MS = 100;

    private record Frame(long captureTs, Map<Long, Box> boxes) {
    }

    private final Deque<Frame> frames = new ArrayDeque<>();

    /**
     * Records the objects of the frame captured at {@code captureTs} (frames come in capture order). Tentative ones
     * all have id 0 and cannot be told apart from frame to frame: a prompt on one is applied as given.
     */
    void add(long captureTs, List<EngineObject> objects) {
        Map<Long, Box> boxes = new HashMap<>();
        for (EngineObject o : objects) {
            if (o.id() != 0) {
                boxes.put(o.id(), o.box());
            }
        }
        frames.addLast(new Frame(captureTs, boxes));
        if (frames.size() > FRAMES) {
            frames.removeFirst();
        }
    }

    void clear() {
        frames.clear();
    }

    /**
     * {@code prompt}, made on the picture captured at {@code seenAtTs}, moved as the object under it moved from
     * then to {@code nowTs} (the last recorded motion carries it past the newest recorded frame), kept inside the
     * {@code width} x {@code height} frame. Unmoved when no recorded object is under it, or the picture is not kept.
     */
    Prompt carry(Prompt prompt, long seenAtTs, long nowTs, int width, int height) {
        Frame seen = nearest(seenAtTs);
        if (seen == null) {
            return prompt;
        }
        Long id = prompt.objectId() != null ? prompt.objectId() : under(prompt, seen);
        Box then = id == null ? null : seen.boxes().get(id);
        double[] now = then == null ? null : at(id, nowTs);
        if (now == null) {
            return prompt;
        }
        double dx = now[0] - then.centreX(), dy = now[1] - then.centreY();
        List<PromptPoint> points = prompt.points().stream().map(p -> new PromptPoint(
                clamp(p.x() + dx, width - 1), clamp(p.y() + dy, height - 1), p.positive())).toList();
        Box box = prompt.box() == null ? null : new Box(clamp(prompt.box().x() + dx, width - prompt.box().width()),
                clamp(prompt.box().y() + dy, height - prompt.box().height()), prompt.box().width(), prompt.box().height());
        return new Prompt(prompt.objectId(), points, box, prompt.label());
    }

    private Frame nearest(long ts) {
        Frame best = null;
        for (Frame f : frames) {
            if (Math.abs(f.captureTs() - ts) <= MATCH_MS
                    && (best == null || Math.abs(f.captureTs() - ts) < Math.abs(best.captureTs() - ts))) {
                best = f;
            }
        }
        return best;
    }

    /** The object the prompt was made on: the innermost box under its first positive point, else the box's object. */
    private static Long under(Prompt prompt, Frame seen) {
        Long best = null;
        double bestArea = Double.MAX_VALUE;
        PromptPoint point = prompt.positives().isEmpty() ? null : prompt.positives().get(0);
        for (Map.Entry<Long, Box> e : seen.boxes().entrySet()) {
            Box b = e.getValue();
            boolean hit = point != null ? b.contains(point.x(), point.y())
                    : prompt.box() != null && prompt.box().contains(b.centreX(), b.centreY());
            if (hit && b.area() < bestArea) {
                best = e.getKey();
                bestArea = b.area();
            }
        }
        return best;
    }

    /** Object {@code id}'s centre at {@code ts}: where it was last recorded, moved on by its last recorded motion. */
    private double[] at(long id, long ts) {
        Frame last = null, before = null;
        for (Iterator<Frame> it = frames.descendingIterator(); it.hasNext() && before == null; ) {
            Frame f = it.next();
            if (f.boxes().containsKey(id)) {
                if (last == null) {
                    last = f;
                } else {
                    before = f;
                }
            }
        }
        if (last == null) {
            return null;
        }
        Box b = last.boxes().get(id);
        if (before == null || ts <= last.captureTs() || last.captureTs() == before.captureTs()) {
            return new double[]{b.centreX(), b.centreY()};
        }
        Box p = before.boxes().get(id);
        double ahead = (double) (ts - last.captureTs()) / (last.captureTs() - before.captureTs());
        return new double[]{b.centreX() + (b.centreX() - p.centreX()) * ahead, b.centreY() + (b.centreY() - p.centreY()) * ahead};
    }

    private static double clamp(double v, double max) {
        return Math.max(0, Math.min(max, v));
    }
}
