package io.visionfleet.frameprocessor.sam2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.visionfleet.frameprocessor.engine.CommandOutcome;
import io.visionfleet.frameprocessor.engine.EngineInput;
import io.visionfleet.frameprocessor.engine.EngineResult;
import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.prompt.ObjectCommand;
import io.visionfleet.frameprocessor.prompt.Prompt;
import io.visionfleet.frameprocessor.prompt.PromptPoint;
import io.visionfleet.frameprocessor.stage.StageTimings;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

/**
 * The Java half of the parity check against SAM2's reference video predictor (bench/sam2/parity.sh runs both):
 *
 * <pre>
 *   frames  VIDEO DIR COUNT SIDE        first COUNT frames of VIDEO as SIDE x SIDE PNGs DIR/tNN.png (both sides read
 *                                       these, so neither resizes: the check is about tracking, not resampling)
 *   engine  MODELS FRAMES PROMPTS OUT   runs the sam2 engine (MODELS/tiny-fp32, CPU) over FRAMES with the prompts of
 *                                       PROMPTS (JSON, see bench/sam2/parity_prompts.json) and writes per frame and
 *                                       object the low-resolution logits as the reference outputs them (holes
 *                                       filled) to OUT/tNN_oK.f32 (float32, little-endian) and OUT/scores.jsonl
 * </pre>
 *
 * A prompt with a new id starts an object on its frame (the predictor's {@code add_new_points_or_box} with a new
 * object id); new ids are numbered 1, 2, ... in prompt order, as the engine numbers them. A prompt with the id of an
 * object started on an earlier frame corrects it (the engine's CORRECT, the predictor's
 * {@code add_new_points_or_box} on a frame the object was tracked on).
 */
public final class Sam2ParityDump {
    private Sam2ParityDump() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 5 && args[0].equals("frames")) {
            frames(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        } else if (args.length == 5 && args[0].equals("engine")) {
            engine(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), Path.of(args[4]), "tiny");
        } else {
            System.err.println("usage: frames VIDEO DIR COUNT SIDE | engine MODELS FRAMES PROMPTS OUT");
            System.exit(2);
        }
    }

    static void frames(Path video, Path dir, int count, int side) throws Exception {
        Files.createDirectories(dir);
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile());
             OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat()) {
            grabber.start();
            int t = 0;
            for (Frame frame; t < count && (frame = grabber.grabImage()) != null; t++) {
                try (PointerScope scope = new PointerScope()) {
                    Mat resized = new Mat();
                    resize(converter.convert(frame), resized, new Size(side, side), 0, 0, INTER_AREA);
                    imwrite(frame(dir, t).toString(), resized);
                }
            }
            if (t < count) {
                throw new IllegalStateException(video + " has only " + t + " frames");
            }
        }
    }

    /** Runs the engine over the frames with the prompts; returns the number of (frame, object) logits written. */
    static int engine(Path models, Path frames, Path prompts, Path out, String size) throws Exception {
        JsonNode spec = new ObjectMapper().readTree(prompts.toFile());
        int count = spec.path("frames").asInt();
        List<JsonNode> objects = new ArrayList<>();
        spec.path("objects").forEach(objects::add);
        Map<Integer, Integer> started = new HashMap<>(); // object id -> the frame it was started on
        for (JsonNode o : objects) {
            int id = o.path("id").asInt();
            int frame = o.path("frame").asInt();
            Integer start = started.get(id);
            if (start == null && id != started.size() + 1) {
                throw new IllegalArgumentException("new objects must be numbered 1, 2, ... in the order they are prompted");
            }
            if (start != null && start >= frame) {
                throw new IllegalArgumentException("object " + id + ": a correction must come after the frame the object started on");
            }
            started.putIfAbsent(id, frame);
        }
        Files.createDirectories(out);
        Sam2Config config = new SmallRyeConfigBuilder().withMapping(Sam2Config.class)
                .withSources(new PropertiesConfigSource(Map.of("fleet.processor.sam2.model-dir", models.toString(),
                        "fleet.processor.sam2.size", size, "fleet.processor.sam2.provider", "cpu"), "parity", 400))
                .build().getConfigMapping(Sam2Config.class);
        Sam2Engine engine = new Sam2Engine(config);
        if (!engine.status().ready()) {
            throw new IllegalStateException(engine.status().detail());
        }
        int written = 0;
        StringBuilder scores = new StringBuilder();
        try {
            Mat first = imread(frame(frames, 0).toString());
            Sam2Session session = (Sam2Session) engine.open("parity", first.cols(), first.rows());
            session.promptsCreate = true;
            for (int t = 0; t < count; t++) {
                try (PointerScope scope = new PointerScope()) {
                    Mat bgr = imread(frame(frames, t).toString());
                    if (bgr.empty()) {
                        throw new IOException("cannot read " + frame(frames, t));
                    }
                    List<ObjectCommand> commands = new ArrayList<>();
                    List<Boolean> corrections = new ArrayList<>();
                    for (JsonNode o : objects) {
                        if (o.path("frame").asInt() == t) {
                            boolean correction = started.get(o.path("id").asInt()) < t;
                            commands.add(new ObjectCommand.Apply(prompt(o, correction ? o.path("id").asLong() : null)));
                            corrections.add(correction);
                        }
                    }
                    EngineResult result = session.step(new EngineInput(t, 1, bgr, List.of(), commands, null, 32,
                            new StageTimings()));
                    for (int i = 0; i < corrections.size(); i++) {
                        CommandOutcome outcome = result.outcomes().get(i);
                        if (corrections.get(i) ? !outcome.applied() || outcome.created() : !outcome.created()) {
                            throw new IllegalStateException("frame " + t + ": a prompt did not " + (corrections.get(i)
                                    ? "correct its object: " : "start an object: ") + outcome.detail());
                        }
                    }
                    for (Sam2Object o : session.objects()) {
                        float[] logits = session.outputLogits(o.logits);
                        ByteBuffer bytes = ByteBuffer.allocate(4 * logits.length).order(ByteOrder.LITTLE_ENDIAN);
                        bytes.asFloatBuffer().put(logits);
                        Files.write(out.resolve(String.format(Locale.ROOT, "t%02d_o%d.f32", t, o.id)), bytes.array());
                        scores.append(String.format(Locale.ROOT, "{\"frame\":%d,\"object\":%d,\"object_score\":%s,\"iou\":%s}%n",
                                t, o.id, Float.toString(o.objectScore), Float.toString(o.iou)));
                        written++;
                    }
                }
            }
            session.close();
        } finally {
            engine.close();
        }
        Files.writeString(out.resolve("scores.jsonl"), scores);
        return written;
    }

    /** The prompt of {@code o}, for {@code objectId} (a correction) or for a new object (null). */
    private static Prompt prompt(JsonNode o, Long objectId) {
        List<PromptPoint> points = new ArrayList<>();
        o.path("points").forEach(p -> points.add(new PromptPoint(p.get(0).asDouble(), p.get(1).asDouble(), p.get(2).asInt() == 1)));
        Box box = null;
        JsonNode b = o.path("box");
        if (b.isArray()) {
            box = new Box(b.get(0).asDouble(), b.get(1).asDouble(), b.get(2).asDouble() - b.get(0).asDouble(),
                    b.get(3).asDouble() - b.get(1).asDouble());
        }
        return new Prompt(objectId, points, box, null);
    }

    static Path frame(Path dir, int t) {
        return dir.resolve(String.format(Locale.ROOT, "t%02d.png", t));
    }
}
