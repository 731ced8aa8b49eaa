package io.visionfleet.ptz.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How well a set of cameras followed one ground-truth actor, judged by the truth and not by proxies. Each frame, each
 * camera's followed track is matched to the actor whose visible box it overlaps most (intersection over union at
 * least {@link #MIN_IOU}, on the frame the track was last reported in): the target is watched when some camera follows
 * a track matched to it, reported in that frame or held hidden while the target shows in no track of that camera.
 * Every frame of the run is scored, stops and acquisition included.
 *
 * @param onTarget       fraction of frames in which some camera follows the target
 * @param wrongTarget    fraction of frames in which no camera follows the target but one follows something else
 * @param longestGapS    longest run of frames in which no camera follows the target
 * @param handoffDelaysS per handoff sent, time until the receiving camera follows the target (infinite when it never
 *                       does while at least {@link #HANDOFF_GOAL_S} of the run remained; handoffs sent later are left out)
 * @param relockDelaysS  per occlusion of the target (no camera reports it), time from its showing again to some camera
 *                       following it again (infinite when none does)
 * @param offsets        sorted, per frame and camera following the target, the distance of its visible box's centre
 *                       from the picture's centre in half-frames (the larger axis): the centring error
 */
record TargetFigures(int frames, double onTarget, double wrongTarget, double longestGapS, List<Double> handoffDelaysS,
                     List<Double> relockDelaysS, double[] offsets) {
    static final double MIN_IOU = 0.5;
    /** The goals. */
    static final double ON_TARGET_GOAL = 0.95;
    static final double GAP_GOAL_S = 2.0;
    static final double HANDOFF_GOAL_S = 1.5;
    /** {@code -Dptz.worlds.trace=true}: print each change of the actor a camera follows. */
    private static final boolean TRACE = Boolean.getBoolean("ptz.worlds.trace");

    /**
     * @param samples   per camera, one sample per frame (all cameras the same frames)
     * @param handoffs  the handoffs sent during the run
     * @param targetId  the target's actor id
     */
    static TargetFigures of(Map<String, List<GroundTruthLoop.Sample>> samples, List<GroundTruthLoop.Event> handoffs,
                            int targetId, double fps, int width, int height) {
        List<String> cameras = List.copyOf(samples.keySet());
        int frames = samples.get(cameras.get(0)).size();
        Map<String, Map<Long, Integer>> identities = new HashMap<>();
        cameras.forEach(c -> identities.put(c, new HashMap<>()));
        Map<String, Integer> lastFollowed = new HashMap<>();
        boolean[] watched = new boolean[frames];
        boolean[] reported = new boolean[frames];
        int wrong = 0;
        List<Double> offsets = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            boolean other = false;
            for (String c : cameras) {
                GroundTruthLoop.Sample s = samples.get(c).get(i);
                Map<Long, Integer> identity = identities.get(c);
                s.tracks().forEach((track, box) -> identity.put(track, actorAt(box, s.boxes())));
                boolean targetShows = s.tracks().keySet().stream().anyMatch(t -> identity.get(t) == targetId);
                reported[i] |= targetShows;
                Integer followed = s.targetId() == null ? null : identity.get(s.targetId());
                if (TRACE && !Objects.equals(followed, lastFollowed.put(c, followed))) {
                    System.out.printf("trace %s frame %d t=%.2f: follows track %s, actor %s%n", c, s.frame(), s.timeS(),
                            s.targetId(), followed);
                }
                if (s.targetId() == null) {
                    continue;
                }
                // a track held while hidden is the target only while the target does not show under another id
                if (Objects.equals(identity.get(s.targetId()), targetId)
                        && (s.tracks().containsKey(s.targetId()) || !targetShows)) {
                    watched[i] = true;
                    int[] box = s.boxes().get(targetId);
                    if (box != null) {
                        offsets.add(offset(box, width, height));
                    }
                } else {
                    other = true;
                }
            }
            if (!watched[i] && other) {
                wrong++;
            }
        }
        int on = 0;
        int gap = 0;
        int longest = 0;
        for (boolean w : watched) {
            on += w ? 1 : 0;
            gap = w ? 0 : gap + 1;
            longest = Math.max(longest, gap);
        }
        return new TargetFigures(frames, on / (double) frames, wrong / (double) frames, longest / fps,
                handoffDelays(samples, handoffs, identities, targetId, fps, frames), relockDelays(watched, reported, fps),
                offsets.stream().mapToDouble(Double::doubleValue).sorted().toArray());
    }

    boolean meetsGoals() {
        return onTarget >= ON_TARGET_GOAL && longestGapS <= GAP_GOAL_S
                && handoffDelaysS.stream().allMatch(d -> d <= HANDOFF_GOAL_S);
    }

    double worstHandoffS() {
        return handoffDelaysS.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    double worstRelockS() {
        return relockDelaysS.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    double centringP50() {
        return percentile(offsets, 0.5);
    }

    double centringP95() {
        return percentile(offsets, 0.95);
    }

    /** The head of a markdown table of {@link #row}s, whose first cells are {@code names}. */
    static String header(String... names) {
        List<String> columns = new ArrayList<>(List.of(names));
        columns.addAll(List.of("on target", "wrong target", "longest gap s", "handoffs", "slowest handoff s", "re-locks",
                "slowest re-lock s", "centring p50", "centring p95", "goals"));
        return "| " + String.join(" | ", columns) + " |\n" + "| --- ".repeat(columns.size()) + "|";
    }

    /** A row of the table: {@code names} (its first cells, joined by {@code |}), then the figures. */
    String row(String names) {
        return String.format(Locale.ROOT, "| %s | %.1f %% | %.1f %% | %.2f | %d | %s | %d | %s | %.3f | %.3f | %s |", names,
                100 * onTarget, 100 * wrongTarget, longestGapS, handoffDelaysS.size(), seconds(worstHandoffS()),
                relockDelaysS.size(), seconds(worstRelockS()), centringP50(), centringP95(), meetsGoals() ? "met" : "MISSED");
    }

    /** The figures of several runs taken together: fractions over all their frames, the worst gaps and delays. */
    static TargetFigures pooled(List<TargetFigures> runs) {
        int frames = runs.stream().mapToInt(TargetFigures::frames).sum();
        double on = runs.stream().mapToDouble(r -> r.onTarget * r.frames).sum() / frames;
        double wrong = runs.stream().mapToDouble(r -> r.wrongTarget * r.frames).sum() / frames;
        double gap = runs.stream().mapToDouble(TargetFigures::longestGapS).max().orElse(0);
        List<Double> handoffs = runs.stream().flatMap(r -> r.handoffDelaysS.stream()).toList();
        List<Double> relocks = runs.stream().flatMap(r -> r.relockDelaysS.stream()).toList();
        double[] offsets = runs.stream().flatMapToDouble(r -> Arrays.stream(r.offsets)).sorted().toArray();
        return new TargetFigures(frames, on, wrong, gap, handoffs, relocks, offsets);
    }

    private static String seconds(double s) {
        return Double.isInfinite(s) ? "never" : String.format(Locale.ROOT, "%.2f", s);
    }

    /** The actor whose visible box best overlaps {@code box}; 0 for none. */
    private static int actorAt(int[] box, Map<Integer, int[]> actors) {
        int best = 0;
        double bestIou = MIN_IOU;
        for (Map.Entry<Integer, int[]> a : actors.entrySet()) {
            double iou = iou(box, a.getValue());
            if (iou >= bestIou) {
                best = a.getKey();
                bestIou = iou;
            }
        }
        return best;
    }

    private static double iou(int[] a, int[] b) {
        double w = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
        double h = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
        if (w <= 0 || h <= 0) {
            return 0;
        }
        double inter = w * h;
        return inter / ((double) a[2] * a[3] + (double) b[2] * b[3] - inter);
    }

    private static List<Double> handoffDelays(Map<String, List<GroundTruthLoop.Sample>> samples,
                                              List<GroundTruthLoop.Event> handoffs, Map<String, Map<Long, Integer>> ids,
                                              int targetId, double fps, int frames) {
        List<Double> delays = new ArrayList<>();
        for (GroundTruthLoop.Event h : handoffs) {
            List<GroundTruthLoop.Sample> to = samples.get(h.to());
            int sent = (int) (h.frame() - to.get(0).frame());
            Double delay = null;
            for (int i = sent; i < frames && delay == null; i++) {
                GroundTruthLoop.Sample s = to.get(i);
                if (s.targetId() != null && Objects.equals(ids.get(h.to()).get(s.targetId()), targetId)) {
                    delay = (i - sent) / fps;
                }
            }
            if (delay != null) {
                delays.add(delay);
            } else if ((frames - sent) / fps >= HANDOFF_GOAL_S) {
                delays.add(Double.POSITIVE_INFINITY);
            }
        }
        return delays;
    }

    /** Per run of frames in which no camera reports the target that began while one followed it. */
    private static List<Double> relockDelays(boolean[] watched, boolean[] reported, double fps) {
        List<Double> delays = new ArrayList<>();
        for (int i = 1; i < watched.length; i++) {
            if (!(watched[i - 1] && !reported[i])) {
                continue;
            }
            int back = i;
            while (back < watched.length && !reported[back]) {
                back++;
            }
            int on = back;
            while (on < watched.length && !watched[on]) {
                on++;
            }
            delays.add(on < watched.length ? (on - back) / fps : Double.POSITIVE_INFINITY);
            i = Math.max(i, on - 1);
        }
        return delays;
    }

    static double offset(int[] box, int width, int height) {
        return Math.max(Math.abs(box[0] + box[2] / 2.0 - width / 2.0) / (width / 2.0),
                Math.abs(box[1] + box[3] / 2.0 - height / 2.0) / (height / 2.0));
    }

    private static double percentile(double[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.floor(p * (sorted.length - 1))];
    }
}
