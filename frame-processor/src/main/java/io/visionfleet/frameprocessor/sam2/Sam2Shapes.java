package io.visionfleet.frameprocessor.sam2;

/**
 * Sizes read from the loaded graphs, so the engine runs any export of the contract: SAM2.1 itself (1024, 256, 64,
 * 32@256, 64@128, 256, 64, 256) or the tests' small graphs.
 *
 * @param imageSize   side of the square network input
 * @param channels    image embedding channels, also the object pointer length
 * @param grid        side of the image embedding (the memory tokens are grid x grid)
 * @param maskSize    side of the low-resolution mask logits and of the mask input
 * @param memChannels channels of a spatial memory
 */
record Sam2Shapes(int imageSize, int channels, int grid, int hr0Channels, int hr0Size, int hr1Channels, int hr1Size,
                  int maskSize, int memChannels) {
    int embedFloats() {
        return channels * grid * grid;
    }

    int maskFloats() {
        return maskSize * maskSize;
    }

    int memoryFloats() {
        return memChannels * grid * grid;
    }
}
