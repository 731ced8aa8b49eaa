package io.visionfleet.frameprocessor.track;

import io.visionfleet.frameprocessor.geom.Box;

/**
 * One tracked object: its Kalman estimate, life-cycle state, the observation that updated it in the current frame
 * and a running mean of its colour.
 */
public final class Track {
    private static final double COLOUR_SMOOTHING = 0.3;
    /** A region narrower or lower than this share of the object's usual size is partly hidden. */
    private static final double PARTLY_HIDDEN = 0.85;
    private static final double SIZE_SMOOTHING = 0.5;
    private static final double MAX_GROWTH = 1.1;

    private final BoxKalman kalman;
    private long id;
    private TrackState state;
    private int hits;
    private int missed;
    private Observation observation;
    private double[] colour;
    private double score;
    private double usualWidth;
    private double usualHeight;
    /** Frames of the stream since the track was last seen, as of this frame: growth is capped per frame of it. */
    private int sinceSeen = 1;
    private String label;
    private boolean prompted;
    private boolean suppressed;

    Track(Observation first, TrackState state) {
        this.kalman = new BoxKalman(first.box());
        this.state = state;
        this.hits = 1;
        this.observation = first;
        this.colour = first.colour().clone();
        this.score = first.score();
        this.usualWidth = first.box().width();
        this.usualHeight = first.box().height();
    }

    /** 0 until the track is confirmed. */
    public long id() {
        return id;
    }

    public TrackState state() {
        return state;
    }

    /** Where the track is: its Kalman estimate (the prediction while it is not observed). */
    public Box box() {
        return kalman.box();
    }

    /** The region that updated the track in this frame, null when none did. */
    public Observation observation() {
        return observation;
    }

    public double[] colour() {
        return colour;
    }

    public double score() {
        return score;
    }

    public String label() {
        return label;
    }

    public boolean prompted() {
        return prompted;
    }

    /** Removed from the results by a user: still followed so its region does not come back as a new object. */
    public boolean suppressed() {
        return suppressed;
    }

    /** The object's size when seen whole: regions seen while it is partly hidden do not change it. */
    public double usualArea() {
        return usualWidth * usualHeight;
    }

    public double usualWidth() {
        return usualWidth;
    }

    public double usualHeight() {
        return usualHeight;
    }

    /**
     * The whole object behind a region that may show only part of it. A region narrower than the usual width is
     * partly hidden (behind something, or past the frame edge) on one side: the side whose edge agrees better with
     * the prediction is the visible one, and the box extends from it to the usual width. Fed to the Kalman filter,
     * this keeps centre and velocity right while an object slides behind an occluder, so it is found again where
     * it comes out.
     */
    Box wholeBox(Box seen) {
        Box predicted = kalman.box();
        double x = seen.x();
        double w = seen.width();
        if (w < PARTLY_HIDDEN * usualWidth) {
            boolean leftVisible = Math.abs(seen.x() - predicted.x()) <= Math.abs(seen.right() - predicted.right());
            x = leftVisible ? seen.x() : seen.right() - usualWidth;
            w = usualWidth;
        }
        double y = seen.y();
        double h = seen.height();
        if (h < PARTLY_HIDDEN * usualHeight) {
            boolean topVisible = Math.abs(seen.y() - predicted.y()) <= Math.abs(seen.bottom() - predicted.bottom());
            y = topVisible ? seen.y() : seen.bottom() - usualHeight;
            h = usualHeight;
        }
        return new Box(x, y, w, h);
    }

    /**
     * Follows the size while the region looks whole. Growth is capped per frame of the stream since the track was
     * last seen: an object entering the picture grows steadily, while a sudden jump is more likely another region
     * merged into this one.
     */
    private void learnSize(Box seen) {
        double growth = Math.pow(MAX_GROWTH, sinceSeen);
        usualWidth = learn(usualWidth, seen.width(), growth);
        usualHeight = learn(usualHeight, seen.height(), growth);
    }

    private static double learn(double usual, double seen, double growth) {
        if (seen < PARTLY_HIDDEN * usual) {
            return usual;
        }
        return Math.min(usual * growth, usual + SIZE_SMOOTHING * (seen - usual));
    }

    public int missed() {
        return missed;
    }

    void label(String value) {
        label = value;
    }

    void prompted(boolean value) {
        prompted = value;
    }

    void suppress() {
        suppressed = true;
    }

    void confirm(long newId) {
        id = newId;
        state = TrackState.CONFIRMED;
    }

    void predict(int steps) {
        observation = null;
        sinceSeen = missed + steps;
        for (int i = 0; i < steps; i++) {
            kalman.predict();
        }
    }

    void warp(double[] h) {
        kalman.warp(h);
    }

    void observe(Observation o) {
        observation = o;
        kalman.update(wholeBox(o.box()));
        if (!o.part()) {
            learnSize(o.box());
        }
        hits++;
        missed = 0;
        score = o.score();
        for (int i = 0; i < 3; i++) {
            colour[i] += COLOUR_SMOOTHING * (o.colour()[i] - colour[i]);
        }
    }

    /** Replaces the estimate by {@code o}, as a prompt that re-targets the track does. */
    void reset(Observation o) {
        observation = null;
        usualWidth = o.box().width();
        usualHeight = o.box().height();
        kalman.reset(o.box());
        colour = o.colour().clone();
        observe(o);
    }

    /** Another track took this frame's region (a prompt re-targeted it): this one counts as unseen. */
    void dropObservation() {
        observation = null;
    }

    void miss(int frames) {
        missed += frames;
        kalman.freezeSize();
    }

    int hits() {
        return hits;
    }

    void state(TrackState value) {
        state = value;
    }
}
