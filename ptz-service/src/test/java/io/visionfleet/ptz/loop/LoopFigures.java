package io.visionfleet.ptz.loop;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The acceptance figures of a closed-loop run, from the simulator's truth of every rendered picture and the commands
 * on the bus: centring (p95 of the runner's offset from the centre in half-frames, per axis, once a camera has followed
 * the same track for 2 s, leaving out frames where the camera stands at a pan limit: what lies beyond its coverage is
 * the handoff's job), zoom (share of those frames with the runner's height in 0.2..0.5 of the picture), direction reversals
 * of the pan command, handoffs that kept the label, and the longest time the walking runner was watched by no camera.
 */
record LoopFigures(int trackedFrames, double p95Offset, double p95X, double p95Y, double inBand, Map<String, Integer> reversalsPerCamera,
                   int handoffs, double longestGapS) {
    private static final double SETTLE_S = 2;

    static LoopFigures of(List<LoopRecorder.Seen> seen, List<JsonNode> commands, int periodFrames) {
        List<LoopRecorder.Seen> sorted = new ArrayList<>(seen);
        sorted.sort(Comparator.comparingDouble(LoopRecorder.Seen::timeS));
        Map<String, Double> followingSince = new HashMap<>();
        Map<String, Long> followed = new HashMap<>();
        List<Double> offsets = new ArrayList<>();
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        int band = 0;
        double lastWatched = Double.NaN;
        double longestGap = 0;
        for (LoopRecorder.Seen s : sorted) {
            boolean onRunner = s.onRunner();
            if (!onRunner || !s.targetId().equals(followed.get(s.camera()))) {
                followingSince.remove(s.camera());
                followed.remove(s.camera());
            }
            if (onRunner) {
                followingSince.putIfAbsent(s.camera(), s.timeS());
                followed.put(s.camera(), s.targetId());
            }
            if (onRunner && !s.atPanLimit() && s.timeS() - followingSince.get(s.camera()) >= SETTLE_S) {
                int[] r = s.runner();
                double ox = Math.abs(r[0] + r[2] / 2.0 - s.width() / 2.0) / (s.width() / 2.0);
                double oy = Math.abs(r[1] + r[3] / 2.0 - s.height() / 2.0) / (s.height() / 2.0);
                offsets.add(Math.max(ox, oy));
                if (Boolean.getBoolean("ptz.loop.trace") && Math.max(ox, oy) > 0.12) {
                    System.out.printf("off %s t=%.2f phase=%d ox=%.3f oy=%.3f h=%.2f target=%s%n", s.camera(), s.timeS(),
                            Math.floorMod(s.frame(), periodFrames), ox, oy, r[3] / (double) s.height(), s.targetId());
                }
                xs.add(ox);
                ys.add(oy);
                double h = r[3] / (double) s.height();
                if (h >= 0.2 && h <= 0.5) {
                    band++;
                }
            }
            // gaps count only while the runner walks (the motion engine rightly loses it while it stands)
            long phase = Math.floorMod(s.frame(), periodFrames);
            boolean walking = phase < 0.44 * periodFrames || phase > 0.56 * periodFrames;
            if (!walking) {
                lastWatched = Double.NaN;
            } else if (onRunner && centred(s)) {
                if (Boolean.getBoolean("ptz.loop.trace") && s.timeS() - lastWatched > 0.7) {
                    System.out.printf("gap %.2f s ending %s t=%.2f phase=%d target=%s%n", s.timeS() - lastWatched,
                            s.camera(), s.timeS(), phase, s.targetId());
                }
                lastWatched = s.timeS();
            } else if (!Double.isNaN(lastWatched)) {
                longestGap = Math.max(longestGap, s.timeS() - lastWatched);
            }
        }
        return new LoopFigures(offsets.size(), p95(offsets), p95(xs), p95(ys), offsets.isEmpty() ? 0 : band / (double) offsets.size(),
                reversals(commands), handoffs(commands), longestGap);
    }

    private static double p95(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.isEmpty() ? 1 : sorted.get((int) Math.floor(0.95 * (sorted.size() - 1)));
    }

    private static boolean centred(LoopRecorder.Seen s) {
        int[] r = s.runner();
        return Math.abs(r[0] + r[2] / 2.0 - s.width() / 2.0) < s.width() / 4.0;
    }

    private static Map<String, Integer> reversals(List<JsonNode> commands) {
        Map<String, Integer> count = new HashMap<>();
        Map<String, Double> last = new HashMap<>();
        for (JsonNode c : commands) {
            if (!"move_relative".equals(c.path("command").asText()) || Math.abs(c.path("pan_speed").asDouble()) < 0.02) {
                continue;
            }
            String camera = c.path("camera_id").asText();
            double speed = c.path("pan_speed").asDouble();
            Double previous = last.put(camera, speed);
            count.merge(camera, previous != null && Math.signum(previous) != Math.signum(speed) ? 1 : 0, Integer::sum);
        }
        return count;
    }

    /** A handoff: a camera's {@code move_to} from the policy, then its next followed target has the sender's label. */
    static int handoffs(List<JsonNode> commands) {
        int ok = 0;
        for (int i = 0; i < commands.size(); i++) {
            JsonNode c = commands.get(i);
            if (!"move_to".equals(c.path("command").asText()) || !"auto".equals(c.path("mode").asText())) {
                continue;
            }
            String to = c.path("camera_id").asText();
            String sent = null;
            for (int j = i - 1; j >= 0 && sent == null; j--) {
                JsonNode p = commands.get(j);
                if (!p.path("camera_id").asText().equals(to) && p.hasNonNull("target_label")
                        && "move_relative".equals(p.path("command").asText())) {
                    sent = p.get("target_label").asText();
                }
            }
            for (int j = i + 1; j < commands.size(); j++) {
                JsonNode n = commands.get(j);
                if (n.path("camera_id").asText().equals(to) && n.hasNonNull("target_id")) {
                    if (n.path("target_label").asText().equals(sent)) {
                        ok++;
                    }
                    break;
                }
            }
        }
        return ok;
    }
}
