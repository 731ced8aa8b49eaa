package io.visionfleet.frameprocessor.detect;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.visionfleet.frameprocessor.config.ProcessorConfig;
import io.visionfleet.frameprocessor.stage.StageStatus;
import io.visionfleet.frameprocessor.geom.Box;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.bytedeco.opencv.opencv_core.Mat;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * YOLOv8/YOLO11 object detection on ONNX Runtime (CPU): letterbox to the network's square input, one inference,
 * decoding of the [1, 4+classes, anchors] output and non-maximum suppression per class in Java. The model is any
 * Ultralytics detection export ({@code yolo export model=yolo11n.pt format=onnx}); without one the detector reports
 * why on readiness and detects nothing, and the rest of the pipeline runs on.
 */
@ApplicationScoped
public class YoloDetector implements Detector {
    public static final String NAME = "yolo";
    private static final Logger LOG = Logger.getLogger(YoloDetector.class);
    private static final int MAX_DETECTIONS = 300;

    private final ProcessorConfig.Yolo config;
    private final AtomicLong failures = new AtomicLong();
    private volatile StageStatus status = StageStatus.notReady("not started");
    private OrtEnvironment environment;
    private OrtSession session;
    private String inputName;
    private int inputSize;
    private List<String> labels;

    public YoloDetector(ProcessorConfig config) {
        this.config = config.yolo();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized void start() {
        if (session != null) {
            return;
        }
        Optional<Path> model = config.model();
        if (model.isEmpty()) {
            refuse("no model: set fleet.processor.yolo.model to a YOLOv8/YOLO11 ONNX export (see docs/frame-processor.md)");
            return;
        }
        Path file = model.get();
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            refuse("model file " + file.toAbsolutePath() + " does not exist or cannot be read");
            return;
        }
        try {
            labels = config.labels().isPresent() ? Labels.read(config.labels().get()) : Labels.COCO;
            environment = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(Math.max(1, config.threads()));
                session = environment.createSession(file.toString(), options);
            }
            inputSize = checkInput();
            status = StageStatus.ready(file.getFileName() + ", " + labels.size() + " classes, input " + inputSize
                    + "x" + inputSize + ", ONNX Runtime CPU");
            LOG.infof("YOLO detector ready: %s", status.detail());
        } catch (OrtException | IOException | IllegalArgumentException e) {
            closeSession();
            refuse("cannot load model " + file.toAbsolutePath() + ": " + e.getMessage());
        }
    }

    @Override
    public StageStatus status() {
        return status;
    }

    @Override
    public List<Detection> detect(Mat bgr) {
        OrtSession s = session;
        if (s == null) {
            return List.of();
        }
        int width = bgr.cols();
        int height = bgr.rows();
        Letterbox letterbox = new Letterbox(width, height, inputSize);
        Mat blob = letterbox.blob(bgr);
        long[] shape = {1, 3, inputSize, inputSize};
        try (OnnxTensor input = OnnxTensor.createTensor(environment, (FloatBuffer) blob.createBuffer(), shape);
             OrtSession.Result result = s.run(Map.of(inputName, input))) {
            OnnxTensor output = (OnnxTensor) result.get(0);
            List<Detection> candidates = new ArrayList<>();
            for (YoloOutput.Candidate c : YoloOutput.decode(output.getFloatBuffer(), output.getInfo().getShape(),
                    config.scoreThreshold(), labels.size())) {
                Box box = letterbox.toFrame(c.cx(), c.cy(), c.w(), c.h()).clip(width, height);
                if (box.area() > 0) {
                    candidates.add(new Detection(box, c.classId(), Labels.name(labels, c.classId()), c.score()));
                }
            }
            return NonMaxSuppression.apply(candidates, config.nmsIou(), MAX_DETECTIONS);
        } catch (OrtException | IllegalArgumentException e) {
            if (failures.incrementAndGet() == 1 || failures.get() % 1000 == 0) {
                LOG.warnf("YOLO inference failed (%d times so far): %s", failures.get(), e.getMessage());
            }
            return List.of();
        }
    }

    @PreDestroy
    synchronized void closeSession() {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException e) {
                LOG.debugf("closing the YOLO session: %s", e.getMessage());
            }
            session = null;
        }
    }

    /** The square input side: the model's own when fixed, else the configured one. */
    private int checkInput() throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        if (inputs.size() != 1 || !(inputs.values().iterator().next().getInfo() instanceof TensorInfo info)) {
            throw new IllegalArgumentException("expected one image input, the model has " + inputs.keySet());
        }
        inputName = inputs.keySet().iterator().next();
        long[] dims = info.getShape();
        if (dims.length != 4 || (dims[1] != 3 && dims[1] != -1)) {
            throw new IllegalArgumentException("expected an input [1, 3, size, size], got " + Arrays.toString(dims));
        }
        if (dims[2] > 0 && dims[3] > 0) {
            if (dims[2] != dims[3]) {
                throw new IllegalArgumentException("expected a square input, got " + Arrays.toString(dims));
            }
            return (int) dims[2];
        }
        return config.inputSize();
    }

    private void refuse(String reason) {
        status = StageStatus.notReady(reason);
        LOG.warnf("YOLO detector not ready: %s", reason);
    }
}
