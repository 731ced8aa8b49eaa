package io.visionfleet.common.mask;

/**
 * The part of a frame's binary mask that holds the object: a {@code width} x {@code height} rectangle at
 * ({@code x}, {@code y}), its {@code pixels} row-major and non-zero inside; the rest of the frame is zero.
 */
public record MaskPatch(int x, int y, int width, int height, byte[] pixels) {
    public MaskPatch {
        if (x < 0 || y < 0 || width < 0 || height < 0 || pixels.length != width * height) {
            throw new IllegalArgumentException("a " + width + "x" + height + " patch at (" + x + ", " + y + ") with "
                    + pixels.length + " pixels");
        }
    }
}
