package io.visionfleet.frameprocessor.sam2;

import ai.onnx.proto.OnnxMl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.visionfleet.frameprocessor.sam2.Sam2Graphs.*;

/**
 * Writes the five graphs of the SAM2 I/O contract (same names, ranks and dtypes as the export, small spatial sizes)
 * with a deterministic stand-in for the networks: a colour tracker. The encoder average-pools the normalised picture
 * (colour in channels 0-2 of every output); the decoder takes the colour under the prompt's positive points (or, on a
 * tracked frame, the colour memory attention put in channels 4-6) and gives logits {@code K * (T - |colour - ref|^2)}
 * on the fine {@code hr0} grid; object pointers carry the mean colour under the mask; memory attention averages the
 * valid pointers, the oldest (the prompted frame's) dominating. An object hidden behind another colour has no positive logit: its
 * object score is at most 0, as SAM2's is for an occluded object.
 */
public final class Sam2TestGraphs {
    public static final int C = 256;
    public static final int MEM_CHANNELS = 64;
    private static final float K = 20;
    private static final float T = 0.25f;
    private static final int FLOAT = OnnxMl.TensorProto.DataType.FLOAT.getNumber();
    private static final int INT64 = OnnxMl.TensorProto.DataType.INT64.getNumber();

    private final int s;
    private final int g;
    private final List<OnnxMl.NodeProto> nodes = new ArrayList<>();
    private final List<OnnxMl.TensorProto> initializers = new ArrayList<>();
    private int counter;

    private Sam2TestGraphs(int imageSize, int grid) {
        this.s = imageSize;
        this.g = grid;
    }

    /** Writes {@code <dir>/<size>-<precision>/*.onnx} for an {@code imageSize} input and a {@code grid} embedding. */
    public static Path write(Path modelDir, String size, String precision, int imageSize, int grid) throws IOException {
        return write(modelDir, size, precision, imageSize, grid, true);
    }

    /**
     * As {@link #write(Path, String, String, int, int)}, with memory attention batched over objects ({@code mem}
     * [B,M,Cm,G,G], the contract) or, with {@code batched} false, one object per run ({@code mem} [M,Cm,G,G], as
     * exports before it): both compute the same per object.
     */
    public static Path write(Path modelDir, String size, String precision, int imageSize, int grid, boolean batched)
            throws IOException {
        Path dir = Files.createDirectories(modelDir.resolve(Sam2Graphs.folder(size, precision)));
        new Sam2TestGraphs(imageSize, grid).imageEncoder().save(dir, IMAGE_ENCODER);
        new Sam2TestGraphs(imageSize, grid).promptDecoder().save(dir, PROMPT_DECODER);
        Sam2TestGraphs attention = new Sam2TestGraphs(imageSize, grid);
        (batched ? attention.batchedMemoryAttention() : attention.memoryAttention()).save(dir, MEMORY_ATTENTION);
        new Sam2TestGraphs(imageSize, grid).memoryEncoder().save(dir, MEMORY_ENCODER);
        new Sam2TestGraphs(imageSize, grid).constants().save(dir, CONSTANTS);
        return modelDir;
    }

    private Graph imageEncoder() {
        Graph graph = new Graph().input(IMAGE, FLOAT, 1, 3, s, s)
                .output(VISION_FEAT, 1, C, g, g).output(HR0, 1, 32, 4 * g, 4 * g).output(HR1, 1, 64, 2 * g, 2 * g);
        expandColour(pool(IMAGE, s / g), C, VISION_FEAT);
        expandColour(pool(IMAGE, s / (4 * g)), 32, HR0);
        expandColour(pool(IMAGE, s / (2 * g)), 64, HR1);
        return graph;
    }

    private Graph promptDecoder() {
        int m = 4 * g;
        Graph graph = new Graph().input(IMAGE_EMBED, FLOAT, -1, C, g, g).input(HR0, FLOAT, 1, 32, m, m)
                .input(HR1, FLOAT, 1, 64, 2 * g, 2 * g).input(POINT_COORDS, FLOAT, -1, -1, 2)
                .input(POINT_LABELS, FLOAT, -1, -1).input(MASK_INPUT, FLOAT, -1, 1, m, m).input(HAS_MASK, FLOAT, 1)
                .output(MASKS, -1, 4, m, m).output(IOU, -1, 4).output(OBJ_PTRS, -1, 4, C).output(OBJ_SCORE, -1, 1);
        String fine = slice(HR0, 0, 3);                                          // [1,3,m,m]
        String batch = op("Slice", op("Shape", POINT_LABELS), ints(0), ints(1));  // [B]
        String fineB = op("Expand", fine, op("Concat", attr("axis", 0), batch, ints(3, m, m)));
        String weight = op("Cast", attr("to", FLOAT), op("Greater", POINT_LABELS, floats(0.5f)));  // [B,N]
        String sum = op("ReduceSum", weight, ints(1), attr("keepdims", 1));                        // [B,1]
        // the mean of the positive points and box corners (a box's centre)
        String centre = op("Div", op("ReduceSum", op("Mul", POINT_COORDS, op("Unsqueeze", weight, ints(2))), ints(1),
                attr("keepdims", 0)), op("Max", sum, floats(1e-6f)));                              // [B,2]
        String grid = op("Sub", op("Mul", centre, floats(2f / s)), floats(1));
        String sampled = op("GridSample", attr("align_corners", 0), fineB, op("Unsqueeze", grid, ints(1, 2))); // [B,3,1,1]
        String refPoints = op("Reshape", sampled, ints(0, 3));                                    // [B,3]
        String anyPoint = op("Min", sum, floats(1));                                            // [B,1]
        String refMemory = op("ReduceMean", slice(IMAGE_EMBED, 4, 7), attr("axes", 2, 3), attr("keepdims", 0)); // [B,3]
        String valid = op("ReduceMean", slice(IMAGE_EMBED, 7, 8), attr("axes", 1, 2, 3), attr("keepdims", 0)); // [B]
        String ref = op("Add", op("Mul", refPoints, anyPoint), op("Mul", refMemory, op("Sub", floats(1), anyPoint)));
        String diff = op("Sub", fineB, op("Unsqueeze", ref, ints(2, 3)));
        String d2 = op("ReduceSum", op("Mul", diff, diff), ints(1), attr("keepdims", 1));         // [B,1,m,m]
        String noRef = op("Mul", op("Sub", floats(1), anyPoint), op("Sub", floats(1), op("Unsqueeze", valid, ints(1))));
        String logit = op("Sub", op("Mul", op("Sub", floats(T), d2), floats(K)),
                op("Unsqueeze", op("Mul", noRef, floats(1000)), ints(2, 3)));
        logit = op("Add", logit, op("Mul", op("Mul", MASK_INPUT, HAS_MASK), floats(0.01f)));
        op("Concat", List.of(MASKS), attr("axis", 1), logit, op("Sub", logit, floats(1)), logit, op("Sub", logit, floats(2)));
        op("Expand", List.of(IOU), floats(0.9f, 0.5f, 0.8f, 0.3f), op("Concat", attr("axis", 0), batch, ints(4)));
        op("Reshape", List.of(OBJ_SCORE), op("ReduceMax", logit, attr("axes", 1, 2, 3), attr("keepdims", 0)), ints(-1, 1));
        String inside = op("Cast", attr("to", FLOAT), op("Greater", logit, floats(0)));
        String colour = op("Div", op("ReduceSum", op("Mul", fineB, inside), ints(2, 3), attr("keepdims", 0)),
                op("Max", op("ReduceSum", inside, ints(2, 3), attr("keepdims", 0)), floats(1)));   // [B,3]
        String pointer = op("MatMul", colour, widen(3, C));                                       // [B,C]
        op("Expand", List.of(OBJ_PTRS), op("Unsqueeze", pointer, ints(1)), op("Concat", attr("axis", 0), batch, ints(4, C)));
        return graph;
    }

    private Graph memoryAttention() {
        Graph graph = new Graph().input(CURR, FLOAT, 1, C, g, g).input(MEM, FLOAT, -1, MEM_CHANNELS, g, g)
                .input(MEM_SLOT, INT64, -1).input(PTRS, FLOAT, -1, C).input(PTR_TPOS, FLOAT, -1)
                .output(PIX_FEAT, 1, C, g, g);
        String colours = op("MatMul", PTRS, narrow(C, 3));                                          // [P,3]
        String valid = op("Cast", attr("to", FLOAT), op("Greater",
                op("ReduceSum", op("Abs", PTRS), ints(1), attr("keepdims", 1)), floats(1e-6f)));      // [P,1]
        String d2 = op("Unsqueeze", op("Mul", PTR_TPOS, PTR_TPOS), ints(1));
        String weight = op("Mul", valid, op("Mul", d2, d2)); // the oldest pointer (the prompted frame's) dominates
        String total = op("ReduceSum", weight, ints(0), attr("keepdims", 1));                       // [1,1]
        String ref = op("Div", op("ReduceSum", op("Mul", colours, weight), ints(0), attr("keepdims", 1)),
                op("Max", total, floats(1e-6f)));                                                   // [1,3]
        String any = op("Min", op("ReduceSum", valid, ints(0), attr("keepdims", 1)), floats(1));    // [1,1]
        // the spatial memories and their temporal slots reach the output through one channel, as a checksum
        String tpos = op("Gather", tensor(slotTable(), MemoryBank.NUM_MASKMEM, MEM_CHANNELS), MEM_SLOT, attr("axis", 0));
        String memory = op("Add", op("ReduceMean", MEM, attr("axes", 0, 1, 2, 3), attr("keepdims", 1)),
                op("Unsqueeze", op("ReduceMean", tpos, attr("axes", 0, 1), attr("keepdims", 1)), ints(2, 3)));
        op("Concat", List.of(PIX_FEAT), attr("axis", 1), slice(CURR, 0, 4),
                op("Expand", op("Unsqueeze", ref, ints(2, 3)), ints(1, 3, g, g)),
                op("Expand", op("Unsqueeze", any, ints(2, 3)), ints(1, 1, g, g)),
                op("Expand", memory, ints(1, 1, g, g)), slice(CURR, 9, C));
        return graph;
    }

    /** {@link #memoryAttention()} over a batch of objects: the same arithmetic with a leading object axis. */
    private Graph batchedMemoryAttention() {
        Graph graph = new Graph().input(CURR, FLOAT, 1, C, g, g).input(MEM, FLOAT, -1, -1, MEM_CHANNELS, g, g)
                .input(MEM_SLOT, INT64, -1, -1).input(PTRS, FLOAT, -1, -1, C).input(PTR_TPOS, FLOAT, -1, -1)
                .output(PIX_FEAT, -1, C, g, g);
        String batch = op("Slice", op("Shape", MEM), ints(0), ints(1));                              // [1] = B
        String colours = op("MatMul", PTRS, narrow(C, 3));                                          // [B,P,3]
        String valid = op("Cast", attr("to", FLOAT), op("Greater",
                op("ReduceSum", op("Abs", PTRS), ints(2), attr("keepdims", 1)), floats(1e-6f)));      // [B,P,1]
        String d2 = op("Unsqueeze", op("Mul", PTR_TPOS, PTR_TPOS), ints(2));
        String weight = op("Mul", valid, op("Mul", d2, d2));
        String total = op("ReduceSum", weight, ints(1), attr("keepdims", 1));                       // [B,1,1]
        String ref = op("Div", op("ReduceSum", op("Mul", colours, weight), ints(1), attr("keepdims", 1)),
                op("Max", total, floats(1e-6f)));                                                   // [B,1,3]
        String any = op("Min", op("ReduceSum", valid, ints(1), attr("keepdims", 1)), floats(1));    // [B,1,1]
        String tpos = op("Gather", tensor(slotTable(), MemoryBank.NUM_MASKMEM, MEM_CHANNELS), MEM_SLOT, attr("axis", 0));
        String memory = op("Add", op("Reshape", op("ReduceMean", MEM, attr("axes", 1, 2, 3, 4), attr("keepdims", 0)), ints(-1, 1, 1, 1)),
                op("Reshape", op("ReduceMean", tpos, attr("axes", 1, 2), attr("keepdims", 0)), ints(-1, 1, 1, 1))); // [B,1,1,1]
        op("Concat", List.of(PIX_FEAT), attr("axis", 1),
                op("Expand", slice(CURR, 0, 4), op("Concat", attr("axis", 0), batch, ints(4, g, g))),
                op("Expand", op("Reshape", ref, ints(-1, 3, 1, 1)), ints(1, 3, g, g)),
                op("Expand", op("Reshape", any, ints(-1, 1, 1, 1)), ints(1, 1, g, g)),
                op("Expand", memory, ints(1, 1, g, g)),
                op("Expand", slice(CURR, 9, C), op("Concat", attr("axis", 0), batch, ints(C - 9, g, g))));
        return graph;
    }

    private Graph memoryEncoder() {
        int m = 4 * g;
        Graph graph = new Graph().input(VISION_FEAT, FLOAT, 1, C, g, g).input(LOW_RES_MASK, FLOAT, -1, 1, m, m)
                .input(BINARIZE, FLOAT, -1, 1).input(OBJ_SCORE, FLOAT, -1, 1).output(MASKMEM, -1, MEM_CHANNELS, g, g);
        String bin = op("Reshape", BINARIZE, ints(-1, 1, 1, 1));
        String hard = op("Cast", attr("to", FLOAT), op("Greater", LOW_RES_MASK, floats(0)));
        String soft = op("Sigmoid", LOW_RES_MASK);
        String mask = op("Add", op("Mul", hard, bin), op("Mul", soft, op("Sub", floats(1), bin)));
        String scaled = op("AveragePool", attr("kernel_shape", 4, 4), attr("strides", 4, 4),
                op("Sub", op("Mul", mask, floats(20)), floats(10)));
        String feat = op("Slice", VISION_FEAT, ints(0), ints(MEM_CHANNELS), ints(1));
        String hidden = op("Cast", attr("to", FLOAT), op("LessOrEqual", op("Reshape", OBJ_SCORE, ints(-1, 1, 1, 1)), floats(0)));
        op("Add", List.of(MASKMEM), op("Add", feat, scaled), op("Mul", hidden, floats(0.5f)));
        return graph;
    }

    private Graph constants() {
        Graph graph = new Graph().output(NO_MEM_EMBED, 1, C).output(NO_OBJ_PTR, 1, C);
        float[] noMem = new float[C];
        noMem[10] = 0.25f;
        op("Identity", List.of(NO_MEM_EMBED), tensor(noMem, 1, C));
        op("Identity", List.of(NO_OBJ_PTR), tensor(new float[C], 1, C));
        return graph;
    }

    // ---- graph building ----

    private final class Graph {
        final OnnxMl.GraphProto.Builder proto = OnnxMl.GraphProto.newBuilder().setName("sam2-contract-test");

        Graph input(String name, int type, long... dims) {
            proto.addInput(info(name, type, dims));
            return this;
        }

        Graph output(String name, long... dims) {
            proto.addOutput(info(name, FLOAT, dims));
            return this;
        }

        void save(Path dir, String name) throws IOException {
            proto.addAllNode(nodes).addAllInitializer(initializers);
            OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("vision-fleet-test")
                    .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(17)).setGraph(proto).build();
            Files.write(dir.resolve(name + ".onnx"), model.toByteArray());
        }
    }

    private String pool(String input, int k) {
        return k == 1 ? input : op("AveragePool", attr("kernel_shape", k, k), attr("strides", k, k), input);
    }

    /** A 1x1 convolution copying the 3 colour channels into the first 3 of {@code channels}. */
    private void expandColour(String colour, int channels, String output) {
        float[] w = new float[channels * 3];
        for (int c = 0; c < 3; c++) {
            w[c * 3 + c] = 1;
        }
        op("Conv", List.of(output), colour, tensor(w, channels, 3, 1, 1));
    }

    private String slice(String input, int from, int to) {
        return op("Slice", input, ints(from), ints(to), ints(1));
    }

    private String widen(int from, int to) {
        float[] w = new float[from * to];
        for (int i = 0; i < from; i++) {
            w[i * to + i] = 1;
        }
        return tensor(w, from, to);
    }

    private String narrow(int from, int to) {
        float[] w = new float[from * to];
        for (int i = 0; i < to; i++) {
            w[i * to + i] = 1;
        }
        return tensor(w, from, to);
    }

    private static float[] slotTable() {
        float[] table = new float[MemoryBank.NUM_MASKMEM * MEM_CHANNELS];
        for (int slot = 0; slot < MemoryBank.NUM_MASKMEM; slot++) {
            Arrays.fill(table, slot * MEM_CHANNELS, (slot + 1) * MEM_CHANNELS, slot);
        }
        return table;
    }

    private String floats(float... values) {
        return values.length == 1 ? tensor(values) : tensor(values, values.length);
    }

    private String tensor(float[] values, long... dims) {
        String name = "c" + counter++;
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(FLOAT);
        for (float v : values) {
            t.addFloatData(v);
        }
        for (long d : dims) {
            t.addDims(d);
        }
        initializers.add(t.build());
        return name;
    }

    private String ints(long... values) {
        String name = "c" + counter++;
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(INT64).addDims(values.length);
        for (long v : values) {
            t.addInt64Data(v);
        }
        initializers.add(t.build());
        return name;
    }

    private static OnnxMl.AttributeProto attr(String name, long... values) {
        OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name);
        if (values.length == 1 && !name.equals("axes")) {
            a.setI(values[0]).setType(OnnxMl.AttributeProto.AttributeType.INT);
        } else {
            for (long v : values) {
                a.addInts(v);
            }
            a.setType(OnnxMl.AttributeProto.AttributeType.INTS);
        }
        return a.build();
    }

    private String op(String type, Object... args) {
        return op(type, List.of("t" + counter++), args);
    }

    /** A node of {@code type} with inputs (names) and attributes in {@code args}, writing {@code outputs}. */
    private String op(String type, List<String> outputs, Object... args) {
        OnnxMl.NodeProto.Builder node = OnnxMl.NodeProto.newBuilder().setOpType(type).setName("n" + counter++)
                .addAllOutput(outputs);
        for (Object a : args) {
            if (a instanceof OnnxMl.AttributeProto attribute) {
                node.addAttribute(attribute);
            } else {
                node.addInput((String) a);
            }
        }
        nodes.add(node.build());
        return outputs.get(0);
    }

    private static OnnxMl.ValueInfoProto info(String name, int type, long... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (int i = 0; i < dims.length; i++) {
            long d = dims[i];
            shape.addDim(d < 0 ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(name + "_" + i)
                    : OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type).setShape(shape))).build();
    }
}
