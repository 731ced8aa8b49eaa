package io.visionfleet.frameprocessor.detect;

import ai.onnx.proto.OnnxMl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds small ONNX models with the output layout of a YOLOv8/YOLO11 detection export: input {@code images}
 * [1, 3, size, size], output {@code output0} [1, 4 + classes, anchors]. The boxes and base scores are constants; the
 * scores of entries marked in {@code gate} add the mean of the input image, so a test can check what the detector fed
 * the network (letterbox geometry, padding grey, scaling) from the score it gets back.
 */
public final class YoloModels {
    private YoloModels() {
    }

    /**
     * @param boxes  per anchor {cx, cy, w, h} in network input pixels
     * @param scores per anchor the score of each class
     * @param gate   per anchor, per class: 1 to add the input's mean to that score
     */
    public static Path write(Path file, int size, float[][] boxes, float[][] scores, float[][] gate) throws IOException {
        int anchors = boxes.length;
        int classes = scores[0].length;
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder()
                .setName("yolo-layout")
                .addInput(tensorInfo("images", 1, 3, size, size))
                .addOutput(tensorInfo("output0", 1, 4 + classes, anchors))
                .addInitializer(tensor("boxes", channelsFirst(boxes), 1, 4, anchors))
                .addInitializer(tensor("base", channelsFirst(scores), 1, classes, anchors))
                .addInitializer(tensor("gate", channelsFirst(gate), 1, classes, anchors))
                .addNode(node("ReduceMean", List.of("images"), "mean")
                        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("keepdims").setI(0)
                                .setType(OnnxMl.AttributeProto.AttributeType.INT)))
                .addNode(node("Mul", List.of("mean", "gate"), "gated"))
                .addNode(node("Add", List.of("base", "gated"), "scores"))
                .addNode(node("Concat", List.of("boxes", "scores"), "output0")
                        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis").setI(1)
                                .setType(OnnxMl.AttributeProto.AttributeType.INT)))
                .build();
        OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(8)
                .setProducerName("vision-fleet-test")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13))
                .setGraph(graph)
                .build();
        Files.write(file, model.toByteArray());
        return file;
    }

    /** [anchors][channels] laid out as [channels][anchors], flattened. */
    private static List<Float> channelsFirst(float[][] perAnchor) {
        List<Float> values = new ArrayList<>();
        for (int c = 0; c < perAnchor[0].length; c++) {
            for (float[] anchor : perAnchor) {
                values.add(anchor[c]);
            }
        }
        return values;
    }

    private static OnnxMl.NodeProto.Builder node(String op, List<String> inputs, String output) {
        return OnnxMl.NodeProto.newBuilder().setOpType(op).setName(output).addAllInput(inputs).addOutput(output);
    }

    private static OnnxMl.TensorProto tensor(String name, List<Float> values, long... dims) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).addAllFloatData(values);
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    private static OnnxMl.ValueInfoProto tensorInfo(String name, long... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : dims) {
            shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape))).build();
    }
}
