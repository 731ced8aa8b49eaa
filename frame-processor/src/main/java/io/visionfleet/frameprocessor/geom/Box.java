package io.visionfleet.frameprocessor.geom;

import org.bytedeco.opencv.opencv_core.Rect;

/** An axis-aligned box in frame pixels: top-left corner and size. */
public record Box(double x, double y, double width, double height) {
    public static Box ofCentre(double cx, double cy, double width, double height) {
        return new Box(cx - width / 2, cy - height / 2, width, height);
    }

    public static Box of(Rect rect) {
        return new Box(rect.x(), rect.y(), rect.width(), rect.height());
    }

    public double centreX() {
        return x + width / 2;
    }

    public double centreY() {
        return y + height / 2;
    }

    public double right() {
        return x + width;
    }

    public double bottom() {
        return y + height;
    }

    public double area() {
        return Math.max(0, width) * Math.max(0, height);
    }

    public double intersection(Box o) {
        double w = Math.min(right(), o.right()) - Math.max(x, o.x);
        double h = Math.min(bottom(), o.bottom()) - Math.max(y, o.y);
        return w <= 0 || h <= 0 ? 0 : w * h;
    }

    public double iou(Box o) {
        double inter = intersection(o);
        double union = area() + o.area() - inter;
        return union <= 0 ? 0 : inter / union;
    }

    public boolean contains(double px, double py) {
        return px >= x && px < right() && py >= y && py < bottom();
    }

    public Box union(Box o) {
        double x0 = Math.min(x, o.x);
        double y0 = Math.min(y, o.y);
        return new Box(x0, y0, Math.max(right(), o.right()) - x0, Math.max(bottom(), o.bottom()) - y0);
    }

    /** This box grown by {@code fraction} of its size on every side. */
    public Box grow(double fraction) {
        return new Box(x - width * fraction, y - height * fraction, width * (1 + 2 * fraction), height * (1 + 2 * fraction));
    }

    /** The part inside a {@code frameWidth} x {@code frameHeight} frame (empty when none is). */
    public Box clip(int frameWidth, int frameHeight) {
        double x0 = Math.max(0, x);
        double y0 = Math.max(0, y);
        return new Box(x0, y0, Math.max(0, Math.min(frameWidth, right()) - x0), Math.max(0, Math.min(frameHeight, bottom()) - y0));
    }

    /** The smallest whole-pixel rectangle covering this box inside the frame. */
    public Rect toRect(int frameWidth, int frameHeight) {
        int x0 = (int) Math.max(0, Math.floor(x));
        int y0 = (int) Math.max(0, Math.floor(y));
        int x1 = (int) Math.min(frameWidth, Math.ceil(right()));
        int y1 = (int) Math.min(frameHeight, Math.ceil(bottom()));
        return new Rect(x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0));
    }

    /** [x, y, width, height] rounded to whole pixels, as messages carry it. */
    public int[] toArray() {
        return new int[]{(int) Math.round(x), (int) Math.round(y), (int) Math.round(width), (int) Math.round(height)};
    }
}
