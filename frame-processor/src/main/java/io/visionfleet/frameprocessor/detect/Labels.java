package io.visionfleet.frameprocessor.detect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Class names of a detector: the 80 COCO classes in their YOLO order, or a file with one name per line. */
final class Labels {
    static final List<String> COCO = List.of("person", "bicycle", "car", "motorcycle", "airplane", "bus", "train",
            "truck", "boat", "traffic light", "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat",
            "dog", "horse", "sheep", "cow", "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella", "handbag",
            "tie", "suitcase", "frisbee", "skis", "snowboard", "sports ball", "kite", "baseball bat", "baseball glove",
            "skateboard", "surfboard", "tennis racket", "bottle", "wine glass", "cup", "fork", "knife", "spoon", "bowl",
            "banana", "apple", "sandwich", "orange", "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair",
            "couch", "potted plant", "bed", "dining table", "toilet", "tv", "laptop", "mouse", "remote", "keyboard",
            "cell phone", "microwave", "oven", "toaster", "sink", "refrigerator", "book", "clock", "vase", "scissors",
            "teddy bear", "hair drier", "toothbrush");

    private Labels() {
    }

    /** Non-blank lines of {@code file}, trimmed. */
    static List<String> read(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(String::trim).filter(l -> !l.isEmpty()).toList();
    }

    static String name(List<String> labels, int classId) {
        return classId < labels.size() ? labels.get(classId) : "class" + classId;
    }
}
