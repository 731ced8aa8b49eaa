package io.visionfleet.frameprocessor.motion;

import io.visionfleet.frameprocessor.support.Natives;
import org.bytedeco.opencv.opencv_core.Mat;

import java.util.ArrayDeque;

/**
 * The whole-image temporaries of one {@link GaussianBackground} update: nothing in them outlives the picture. The
 * models of all streams share a {@link Pool} of these sets, one per update running at a time, so the streams that
 * take turns on the processing threads keep writing the same few megabytes instead of each its own: with six streams
 * of 640x360 a separate set per model made an update a third dearer (docs/benchmarks.md).
 */
final class BackgroundScratch implements AutoCloseable {
    final Mat frame = Natives.keep(new Mat());
    final Mat diff = Natives.keep(new Mat());
    final Mat squared = Natives.keep(new Mat());
    final Mat distance = Natives.keep(new Mat());
    final Mat limit = Natives.keep(new Mat());
    final Mat rate = Natives.keep(new Mat());
    final Mat agePlusOne = Natives.keep(new Mat());
    final Mat rate3 = Natives.keep(new Mat());
    final Mat fresh = Natives.keep(new Mat());
    final Mat gray = Natives.keep(new Mat());
    final Mat change = Natives.keep(new Mat());
    final Mat unchanged = Natives.keep(new Mat());
    final Mat ghost = Natives.keep(new Mat());
    final Mat movingForeground = Natives.keep(new Mat());
    final Mat blocked = Natives.keep(new Mat());
    final Mat young = Natives.keep(new Mat());
    final Mat restart = Natives.keep(new Mat());
    final Mat scratch = Natives.keep(new Mat());
    /** The strips' temporaries, kept apart so that whole pictures and strips do not remake each other's. */
    private BackgroundScratch strip;

    /** The temporaries of the strips of an update: a set of their own, made on first use. */
    BackgroundScratch strip() {
        if (strip == null) {
            strip = new BackgroundScratch();
        }
        return strip;
    }

    @Override
    public void close() {
        Natives.release(frame, diff, squared, distance, limit, rate, agePlusOne, rate3, fresh, gray, change, unchanged,
                ghost, movingForeground, blocked, young, restart, scratch);
        if (strip != null) {
            strip.close();
        }
    }

    /** Sets lent to updates, as many as ever ran at once; thread-safe. */
    static final class Pool implements AutoCloseable {
        private final ArrayDeque<BackgroundScratch> free = new ArrayDeque<>();
        private boolean closed;

        /** A set for one update: the one given back last, whose images are likeliest still in the caches. */
        synchronized BackgroundScratch borrow() {
            BackgroundScratch set = free.pollFirst();
            return set != null ? set : new BackgroundScratch();
        }

        synchronized void giveBack(BackgroundScratch set) {
            if (closed) {
                set.close(); // an update that ran while the engine closed
            } else {
                free.addFirst(set);
            }
        }

        @Override
        public synchronized void close() {
            closed = true;
            free.forEach(BackgroundScratch::close);
            free.clear();
        }
    }
}
