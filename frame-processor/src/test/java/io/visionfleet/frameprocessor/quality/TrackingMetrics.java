package io.visionfleet.frameprocessor.quality;

import io.visionfleet.sim.scene.FrameTruth;
import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.track.Hungarian;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Multi-object tracking scores of one clip, accumulated frame by frame.
 * <ul>
 *   <li>MOTA (CLEAR MOT): 1 - (misses + false positives + id switches) / ground-truth objects. Per frame, last frame's
 *       pairs are kept while their box IoU stays at least 0.5, the rest are paired by Hungarian assignment on box IoU
 *       (at least 0.5); an id switch is a ground-truth object paired with another id than at its last pairing.</li>
 *   <li>IDF1: 2 IDTP / (ground-truth objects + hypotheses), where IDTP counts the frames in which the ground-truth
 *       trajectory and the hypothesis trajectory it is globally paired with (one-to-one, maximising IDTP) overlap with
 *       box IoU at least 0.5.</li>
 *   <li>Mean mask IoU over the CLEAR pairs.</li>
 * </ul>
 * Ground truth marked "don't care" (barely visible) is neither missed nor a false positive when found.
 */
public final class TrackingMetrics {
    private static final double MATCH_IOU = 0.5;

    private final Map<Integer, Long> current = new HashMap<>();
    private final Map<Integer, Long> lastPaired = new HashMap<>();
    private final Map<Integer, Map<Long, Integer>> cooccurrence = new HashMap<>();
    private final Map<Long, Integer> hypothesisCount = new HashMap<>();
    private long groundTruth;
    private long hypotheses;
    private long misses;
    private long falsePositives;
    private long switches;
    private long matches;
    private double maskIouSum;

    public void add(FrameTruth truth, List<Hypothesis> found) {
        List<FrameTruth.ObjectTruth> objects = truth.objects();
        double[][] iou = new double[objects.size()][found.size()];
        for (int g = 0; g < objects.size(); g++) {
            Box gt = box(objects.get(g).bbox());
            for (int h = 0; h < found.size(); h++) {
                iou[g][h] = gt.iou(found.get(h).box());
            }
        }
        int[] pair = pairs(objects, found, iou);
        boolean[] hypothesisUsed = new boolean[found.size()];
        boolean[] dontCareHypothesis = new boolean[found.size()];
        Map<Integer, Long> next = new HashMap<>();
        for (int g = 0; g < objects.size(); g++) {
            FrameTruth.ObjectTruth gt = objects.get(g);
            int h = pair[g];
            if (h >= 0) {
                hypothesisUsed[h] = true;
                dontCareHypothesis[h] = !gt.counted();
            }
            if (!gt.counted()) {
                continue;
            }
            groundTruth++;
            if (h < 0) {
                misses++;
                continue;
            }
            long id = found.get(h).id();
            next.put(gt.id(), id);
            Long before = lastPaired.put(gt.id(), id);
            if (before != null && before != id) {
                switches++;
            }
            matches++;
            maskIouSum += maskIou(truth, gt, found.get(h));
        }
        for (int h = 0; h < found.size(); h++) {
            if (dontCareHypothesis[h]) {
                continue;
            }
            hypotheses++;
            hypothesisCount.merge(found.get(h).id(), 1, Integer::sum);
            if (!hypothesisUsed[h]) {
                falsePositives++;
            }
        }
        for (int g = 0; g < objects.size(); g++) {
            if (!objects.get(g).counted()) {
                continue;
            }
            for (int h = 0; h < found.size(); h++) {
                if (!dontCareHypothesis[h] && iou[g][h] >= MATCH_IOU) {
                    cooccurrence.computeIfAbsent(objects.get(g).id(), k -> new HashMap<>())
                            .merge(found.get(h).id(), 1, Integer::sum);
                }
            }
        }
        current.clear();
        current.putAll(next);
    }

    public double mota() {
        return groundTruth == 0 ? 1 : 1 - (double) (misses + falsePositives + switches) / groundTruth;
    }

    public double idf1() {
        List<Integer> gts = new ArrayList<>(cooccurrence.keySet());
        List<Long> hyps = new ArrayList<>(hypothesisCount.keySet());
        if (groundTruth + hypotheses == 0) {
            return 1;
        }
        if (gts.isEmpty() || hyps.isEmpty()) {
            return 0;
        }
        double[][] cost = new double[gts.size()][hyps.size()];
        for (int g = 0; g < gts.size(); g++) {
            for (int h = 0; h < hyps.size(); h++) {
                cost[g][h] = -cooccurrence.get(gts.get(g)).getOrDefault(hyps.get(h), 0);
            }
        }
        int[] assignment = Hungarian.solve(cost);
        long idtp = 0;
        for (int g = 0; g < assignment.length; g++) {
            if (assignment[g] >= 0) {
                idtp += (long) -cost[g][assignment[g]];
            }
        }
        return 2.0 * idtp / (groundTruth + hypotheses);
    }

    public double meanMaskIou() {
        return matches == 0 ? 0 : maskIouSum / matches;
    }

    public long groundTruth() {
        return groundTruth;
    }

    public long misses() {
        return misses;
    }

    public long falsePositives() {
        return falsePositives;
    }

    public long switches() {
        return switches;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "MOTA %.3f IDF1 %.3f maskIoU %.3f (GT %d, FN %d, FP %d, IDSW %d)",
                mota(), idf1(), meanMaskIou(), groundTruth, misses, falsePositives, switches);
    }

    /** CLEAR MOT pairing: keep last frame's pairs that still overlap, assign the rest by IoU. */
    private int[] pairs(List<FrameTruth.ObjectTruth> objects, List<Hypothesis> found, double[][] iou) {
        int[] pair = new int[objects.size()];
        Arrays.fill(pair, -1);
        boolean[] taken = new boolean[found.size()];
        for (int g = 0; g < objects.size(); g++) {
            Long previous = current.get(objects.get(g).id());
            for (int h = 0; previous != null && h < found.size(); h++) {
                if (found.get(h).id() == previous && iou[g][h] >= MATCH_IOU) {
                    pair[g] = h;
                    taken[h] = true;
                }
            }
        }
        List<Integer> rows = new ArrayList<>();
        List<Integer> cols = new ArrayList<>();
        for (int g = 0; g < objects.size(); g++) {
            if (pair[g] < 0) {
                rows.add(g);
            }
        }
        for (int h = 0; h < found.size(); h++) {
            if (!taken[h]) {
                cols.add(h);
            }
        }
        if (rows.isEmpty() || cols.isEmpty()) {
            return pair;
        }
        double[][] cost = new double[rows.size()][cols.size()];
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < cols.size(); c++) {
                double v = iou[rows.get(r)][cols.get(c)];
                // counted objects win over don't-care ones for the same hypothesis
                cost[r][c] = v >= MATCH_IOU ? (objects.get(rows.get(r)).counted() ? 1 - v : 2 - v) : 10;
            }
        }
        int[] assignment = Hungarian.solve(cost);
        for (int r = 0; r < assignment.length; r++) {
            if (assignment[r] >= 0 && cost[r][assignment[r]] < 10) {
                pair[rows.get(r)] = cols.get(assignment[r]);
            }
        }
        return pair;
    }

    private static double maskIou(FrameTruth truth, FrameTruth.ObjectTruth gt, Hypothesis h) {
        int inter = 0;
        for (int row = 0; row < h.height(); row++) {
            int y = h.y() + row;
            for (int col = 0; col < h.width(); col++) {
                if (h.bits()[row * h.width() + col] != 0 && truth.shows(gt.id(), h.x() + col, y)) {
                    inter++;
                }
            }
        }
        int union = gt.area() + h.area() - inter;
        return union == 0 ? 0 : (double) inter / union;
    }

    private static Box box(int[] b) {
        return new Box(b[0], b[1], b[2], b[3]);
    }
}
