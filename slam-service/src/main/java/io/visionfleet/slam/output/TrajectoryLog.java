package io.visionfleet.slam.output;

import io.visionfleet.slam.eval.StampedPose;
import io.visionfleet.slam.eval.TumTrajectory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * The poses published for one stream, newest last, bounded: the oldest are dropped beyond the capacity. Each
 * pose remembers its map segment, since segments have unrelated frames and scales. Written by the stream's
 * thread and read by HTTP requests.
 */
public final class TrajectoryLog {
    /** A pose and the map segment it belongs to. */
    public record Entry(int segment, StampedPose pose) {
    }

    private final int capacity;
    private final Deque<Entry> entries = new ArrayDeque<>();
    private long dropped;

    public TrajectoryLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("trajectory capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    public synchronized void add(int segment, StampedPose pose) {
        entries.addLast(new Entry(segment, pose));
        if (entries.size() > capacity) {
            entries.removeFirst();
            dropped++;
        }
    }

    /** Segments with poses, in order of appearance. */
    public synchronized List<Integer> segments() {
        return entries.stream().map(Entry::segment).distinct().toList();
    }

    /** The segment of the newest pose. */
    public synchronized OptionalInt latestSegment() {
        return entries.isEmpty() ? OptionalInt.empty() : OptionalInt.of(entries.peekLast().segment());
    }

    public synchronized List<StampedPose> poses(int segment) {
        return entries.stream().filter(e -> e.segment() == segment).map(Entry::pose).toList();
    }

    /** The poses of {@code segment} in TUM format, under a comment naming stream and segment. */
    public String tum(String streamId, int segment) {
        StringBuilder out = new StringBuilder();
        long droppedNow;
        List<StampedPose> poses;
        synchronized (this) {
            droppedNow = dropped;
            poses = poses(segment);
        }
        out.append(String.format(Locale.ROOT, "# stream %s map segment %d: %d poses (camera-to-world)%s%n", streamId,
                segment, poses.size(), droppedNow > 0 ? ", " + droppedNow + " older poses dropped" : ""));
        out.append("# timestamp tx ty tz qx qy qz qw\n");
        for (StampedPose p : poses) {
            out.append(TumTrajectory.line(p)).append('\n');
        }
        return out.toString();
    }
}
