package io.visionfleet.slam.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Pairs estimated and ground-truth poses by timestamp: among all pairs closer than {@code maxDifference}, the
 * closest are taken first and each pose is used at most once (the rule of the TUM benchmark's tools).
 */
public final class Association {
    /** An estimated pose and the ground-truth pose matched to it. */
    public record Pair(StampedPose estimate, StampedPose truth) {
    }

    public static final double DEFAULT_MAX_DIFFERENCE = 0.01;

    private Association() {
    }

    /** The matched pairs in the order of the estimate's timestamps. */
    public static List<Pair> associate(List<StampedPose> estimate, List<StampedPose> truth, double maxDifference) {
        List<StampedPose> gt = new ArrayList<>(truth);
        gt.sort(Comparator.comparingDouble(StampedPose::timestamp));
        double[] gtTimes = gt.stream().mapToDouble(StampedPose::timestamp).toArray();
        // candidates: for each estimate, every truth stamp within the window (a binary search bounds the scan)
        List<double[]> candidates = new ArrayList<>();
        for (int i = 0; i < estimate.size(); i++) {
            double t = estimate.get(i).timestamp();
            int j = Arrays.binarySearch(gtTimes, t - maxDifference);
            j = j < 0 ? -j - 1 : j;
            for (; j < gtTimes.length && gtTimes[j] <= t + maxDifference; j++) {
                double d = Math.abs(gtTimes[j] - t);
                if (d < maxDifference) {
                    candidates.add(new double[]{d, i, j});
                }
            }
        }
        candidates.sort(Comparator.<double[]>comparingDouble(c -> c[0]).thenComparingDouble(c -> c[1]));
        boolean[] usedEstimate = new boolean[estimate.size()];
        boolean[] usedTruth = new boolean[gt.size()];
        Pair[] byEstimate = new Pair[estimate.size()];
        for (double[] c : candidates) {
            int i = (int) c[1];
            int j = (int) c[2];
            if (!usedEstimate[i] && !usedTruth[j]) {
                usedEstimate[i] = true;
                usedTruth[j] = true;
                byEstimate[i] = new Pair(estimate.get(i), gt.get(j));
            }
        }
        List<Pair> pairs = new ArrayList<>();
        for (Pair p : byEstimate) {
            if (p != null) {
                pairs.add(p);
            }
        }
        pairs.sort(Comparator.comparingDouble(p -> p.estimate().timestamp()));
        return pairs;
    }
}
