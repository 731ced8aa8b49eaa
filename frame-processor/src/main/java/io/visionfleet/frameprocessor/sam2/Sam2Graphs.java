package io.visionfleet.frameprocessor.sam2;

import java.util.List;

/**
 * Names of the exported graphs and of their inputs and outputs: the contract of {@code docs/sam2-onnx.md}, shared
 * by the engine, the export tool and the tests' graph builder.
 */
public final class Sam2Graphs {
    private Sam2Graphs() {
    }

    public static final String IMAGE_ENCODER = "image_encoder";
    public static final String PROMPT_DECODER = "prompt_decoder";
    public static final String MEMORY_ATTENTION = "memory_attention";
    public static final String MEMORY_ENCODER = "memory_encoder";
    public static final String CONSTANTS = "constants";
    public static final List<String> ALL = List.of(IMAGE_ENCODER, PROMPT_DECODER, MEMORY_ATTENTION, MEMORY_ENCODER, CONSTANTS);

    // image_encoder
    public static final String IMAGE = "image";
    public static final String VISION_FEAT = "vision_feat";
    public static final String HR0 = "hr0";
    public static final String HR1 = "hr1";

    // prompt_decoder
    public static final String IMAGE_EMBED = "image_embed";
    public static final String POINT_COORDS = "point_coords";
    public static final String POINT_LABELS = "point_labels";
    public static final String MASK_INPUT = "mask_input";
    public static final String HAS_MASK = "has_mask";
    public static final String MASKS = "masks";
    public static final String IOU = "iou";
    public static final String OBJ_PTRS = "obj_ptrs";
    public static final String OBJ_SCORE = "obj_score";

    // memory_attention
    public static final String CURR = "curr";
    public static final String MEM = "mem";
    public static final String MEM_SLOT = "mem_slot";
    public static final String PTRS = "ptrs";
    public static final String PTR_TPOS = "ptr_tpos";
    public static final String PIX_FEAT = "pix_feat";

    // memory_encoder (also takes VISION_FEAT and OBJ_SCORE)
    public static final String LOW_RES_MASK = "low_res_mask";
    public static final String BINARIZE = "binarize";
    public static final String MASKMEM = "maskmem";

    // constants
    public static final String NO_MEM_EMBED = "no_mem_embed";
    public static final String NO_OBJ_PTR = "no_obj_ptr";

    /** Point labels of the prompt encoder. */
    public static final float NEGATIVE = 0;
    public static final float POSITIVE = 1;
    public static final float BOX_TOP_LEFT = 2;
    public static final float BOX_BOTTOM_RIGHT = 3;
    public static final float PADDING = -1;

    /** The folder of one export inside the model directory. */
    public static String folder(String size, String precision) {
        return size + "-" + precision;
    }
}
