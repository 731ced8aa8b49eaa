package io.visionfleet.frameprocessor.sam2;

import java.nio.FloatBuffer;

/**
 * The image embedding of an INIT (an object new on this frame, no memory): {@code vision_feat + no_mem_embed}, the
 * embedding added per channel, computed once per frame on the first INIT and reused by the frame's others.
 */
final class InitEmbedding {
    private final FloatBuffer vision;
    private final float[] noMemEmbed;
    private final int tokens;
    private final FloatBuffer embed;
    private boolean ready;

    /** @param vision the frame's {@code vision_feat}, [channels, grid, grid], refilled by the encoder every frame */
    InitEmbedding(FloatBuffer vision, float[] noMemEmbed, Sam2Shapes shapes) {
        this.vision = vision;
        this.noMemEmbed = noMemEmbed;
        this.tokens = shapes.grid() * shapes.grid();
        this.embed = Floats.allocate(shapes.embedFloats());
    }

    /** The encoder wrote a new frame's features. */
    void newFrame() {
        ready = false;
    }

    /** This frame's INIT embedding, [channels, grid, grid], positioned at 0. */
    FloatBuffer get() {
        if (!ready) {
            for (int ch = 0; ch < noMemEmbed.length; ch++) {
                float add = noMemEmbed[ch];
                for (int i = ch * tokens; i < (ch + 1) * tokens; i++) {
                    embed.put(i, vision.get(i) + add);
                }
            }
            ready = true;
        }
        return embed.duplicate().clear();
    }
}
