package io.visionfleet.frameprocessor.motion;

import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.geom.Mask;
import io.visionfleet.frameprocessor.track.MultiObjectTracker;
import io.visionfleet.frameprocessor.track.Observation;
import io.visionfleet.frameprocessor.track.Track;
import io.visionfleet.frameprocessor.track.TrackState;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

/**
 * When objects cross, background subtraction sees one region where there were two. Such a region (one that covers
 * the predicted boxes of several recently seen tracks and is larger than any of them) is split: each
 * pixel goes to the track whose predicted box holds it, by colour where several do, to the nearest one where none
 * does. The parts go straight to their tracks, so both keep their ids, motion estimates and (approximate) masks
 * through the crossing.
 */
final class MergedRegionSplitter {
    /** Least share of a track's predicted box inside the region for the track to take part. */
    private static final double MIN_COVER = 0.3;
    /** The region must be this much larger than the largest of the tracks' last regions. */
    private static final double MIN_GROWTH = 1.15;
    private static final double BOX_MARGIN = 0.05;
    /** Tracks lost longer than this many frames have too vague a prediction to claim pixels. */
    private static final int MAX_MISSED = 15;

    private MergedRegionSplitter() {
    }

    /** Splits merged regions among their tracks (assigned on {@code tracker}); returns the regions left whole. */
    static List<Observation> split(List<Observation> regions, MultiObjectTracker tracker, Mat bgr, int minArea) {
        List<Track> recent = tracker.tracks().stream()
                .filter(t -> t.state() == TrackState.CONFIRMED || (t.state() == TrackState.LOST && t.missed() <= MAX_MISSED))
                .toList();
        if (recent.size() < 2) {
            return regions;
        }
        List<Observation> whole = new ArrayList<>();
        for (Observation region : regions) {
            List<Track> involved = new ArrayList<>();
            double largest = 0;
            for (Track t : recent) {
                Box predicted = t.box();
                if (predicted.intersection(region.box()) >= MIN_COVER * predicted.area()) {
                    involved.add(t);
                    largest = Math.max(largest, t.usualArea());
                }
            }
            if (involved.size() < 2 || region.box().area() < MIN_GROWTH * largest) {
                whole.add(region);
                continue;
            }
            List<Observation> parts = divide(region, involved, bgr);
            for (int k = 0; k < involved.size(); k++) {
                if (parts.get(k) != null && parts.get(k).area() >= minArea) {
                    tracker.assign(involved.get(k), parts.get(k));
                }
            }
        }
        return whole;
    }

    private static List<Observation> divide(Observation region, List<Track> tracks, Mat bgr) {
        Mask mask = region.mask();
        int w = mask.width();
        int h = mask.height();
        byte[] inside = new byte[w * h];
        mask.pixels().data().get(inside);
        byte[] pixels = new byte[w * h * 3];
        new Mat(bgr, new Rect(mask.x(), mask.y(), w, h)).clone().data().get(pixels);

        int n = tracks.size();
        Box[] boxes = new Box[n];
        for (int k = 0; k < n; k++) {
            Box b = tracks.get(k).box().grow(BOX_MARGIN);
            boxes[k] = new Box(b.x() - mask.x(), b.y() - mask.y(), b.width(), b.height());
        }
        byte[][] owned = new byte[n][w * h];
        int[] area = new int[n];
        int[][] bounds = new int[n][]; // minX, minY, maxX, maxY
        double[][] colourSum = new double[n][3];
        for (int y = 0, p = 0; y < h; y++) {
            for (int x = 0; x < w; x++, p++) {
                if (inside[p] == 0) {
                    continue;
                }
                int b = pixels[p * 3] & 0xff;
                int g = pixels[p * 3 + 1] & 0xff;
                int r = pixels[p * 3 + 2] & 0xff;
                int k = owner(tracks, boxes, x + 0.5, y + 0.5, b, g, r);
                owned[k][p] = (byte) 255;
                area[k]++;
                colourSum[k][0] += b;
                colourSum[k][1] += g;
                colourSum[k][2] += r;
                if (bounds[k] == null) {
                    bounds[k] = new int[]{x, y, x, y};
                } else {
                    bounds[k][0] = Math.min(bounds[k][0], x);
                    bounds[k][1] = Math.min(bounds[k][1], y);
                    bounds[k][2] = Math.max(bounds[k][2], x);
                    bounds[k][3] = Math.max(bounds[k][3], y);
                }
            }
        }
        List<Observation> parts = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            if (area[k] == 0) {
                parts.add(null);
                continue;
            }
            Mat full = new Mat(h, w, CV_8UC1);
            full.data().put(owned[k]);
            int[] bb = bounds[k];
            Rect tight = new Rect(bb[0], bb[1], bb[2] - bb[0] + 1, bb[3] - bb[1] + 1);
            Mask part = new Mask(mask.x() + bb[0], mask.y() + bb[1], new Mat(full, tight), area[k]);
            double[] colour = {colourSum[k][0] / area[k], colourSum[k][1] / area[k], colourSum[k][2] / area[k]};
            parts.add(new Observation(part.box(), part, region.score(), colour, true));
        }
        return parts;
    }

    /** The track a pixel belongs to: the one whose box holds it, the closest in colour among several, else the nearest. */
    private static int owner(List<Track> tracks, Box[] boxes, double x, double y, int b, int g, int r) {
        int best = -1;
        double bestColour = Double.MAX_VALUE;
        for (int k = 0; k < boxes.length; k++) {
            if (boxes[k].contains(x, y)) {
                double[] c = tracks.get(k).colour();
                double d = (c[0] - b) * (c[0] - b) + (c[1] - g) * (c[1] - g) + (c[2] - r) * (c[2] - r);
                if (d < bestColour) {
                    bestColour = d;
                    best = k;
                }
            }
        }
        if (best >= 0) {
            return best;
        }
        double nearest = Double.MAX_VALUE;
        for (int k = 0; k < boxes.length; k++) {
            double dx = (x - boxes[k].centreX()) / Math.max(1, boxes[k].width());
            double dy = (y - boxes[k].centreY()) / Math.max(1, boxes[k].height());
            double d = dx * dx + dy * dy;
            if (d < nearest) {
                nearest = d;
                best = k;
            }
        }
        return best;
    }
}
