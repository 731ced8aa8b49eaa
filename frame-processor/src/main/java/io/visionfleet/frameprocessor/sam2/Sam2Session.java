package io.visionfleet.frameprocessor.sam2;

import io.visionfleet.frameprocessor.stage.StageTimings;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.visionfleet.frameprocessor.engine.CommandOutcome;
import io.visionfleet.frameprocessor.engine.EngineInput;
import io.visionfleet.frameprocessor.engine.EngineObject;
import io.visionfleet.frameprocessor.engine.EngineResult;
import io.visionfleet.frameprocessor.engine.EngineSession;
import io.visionfleet.frameprocessor.prompt.ObjectCommand;
import io.visionfleet.frameprocessor.prompt.Prompt;
import io.visionfleet.frameprocessor.prompt.PromptPoint;
import io.visionfleet.frameprocessor.prompt.Seed;
import io.visionfleet.frameprocessor.prompt.SeedContext;
import org.bytedeco.opencv.opencv_core.Mat;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.visionfleet.frameprocessor.sam2.Sam2Graphs.*;

/**
 * SAM2.1's video predictor on one live stream. Per frame: the frame is encoded once; every tracked object attends its
 * own bank, in one memory-attention run for all objects with as many memories and pointers (a batched export), and
 * the decoder runs once for all of them (same shapes); prompts then create objects
 * (INIT: no memory, {@code vision_feat + no_mem_embed}) or correct them (CORRECT: the memory-conditioned features,
 * the prompt and this frame's logits as mask input); seeds start objects where no mask is; finally the memory encoder
 * runs once for every object decoded on the frame and its memories enter the banks.
 */
final class Sam2Session implements EngineSession {
    /** Previous logits fed back as mask input are clamped to this, as the predictor does. */
    static final float MASK_INPUT_LIMIT = 32f;
    /** A seed's new mask must be mostly outside the masks already there. */
    private static final double SEED_OVERLAP = 0.5;

    private final Sam2Models models;
    private final Sam2Config config;
    private final Sam2Shapes shapes;
    private final int width;
    private final int height;
    private final ImageInput image;
    private final MaskRenderer renderer;
    private final OnnxTensor imageTensor;
    private final OnnxTensor visionTensor;
    private final OnnxTensor hr0Tensor;
    private final OnnxTensor hr1Tensor;
    private final InitEmbedding initEmbedding;
    private final AttentionInputs attentionInputs;
    private final DecoderBatch decoderBatch;
    private final Floats trackEmbeds = new Floats();
    private final Floats promptEmbeds = new Floats();
    private final Floats lowRes = new Floats();
    private final Floats binarize = new Floats();
    private final Floats memScores = new Floats();
    private final Floats maskmem = new Floats();
    private final Sam2Objects objects;
    /** Hole-filled logits of one object (memory encoder input of a prompted frame). */
    private final float[] scratch;
    /**
     * Whether a prompt without an object id always starts a new object, as {@code add_new_points_or_box} with a new
     * {@code obj_id} does; otherwise one on an object's mask corrects it. Only the parity harness sets it.
     */
    boolean promptsCreate;
    /** Memory-attention runs so far (tests and the benchmark read it). */
    long attentionRuns;
    /** This frame's memory-conditioned features of each tracked object, in the decoder batch. */
    private final Map<Sam2Object, FloatBuffer> conditioned = new HashMap<>();

    /** An object decoded on this frame, with how its memory is to be encoded. */
    private record Update(Sam2Object object, boolean conditioning, boolean fromPoints) {
    }

    Sam2Session(Sam2Models models, Sam2Config config, int width, int height) {
        this.models = models;
        this.config = config;
        this.shapes = models.shapes;
        this.width = width;
        this.height = height;
        Sam2Shapes s = shapes;
        this.image = new ImageInput(s.imageSize(), config.resize());
        this.scratch = new float[s.maskFloats()];
        this.renderer = new MaskRenderer(s.maskSize(), width, height, config.fillHoleArea());
        FloatBuffer vision = Floats.allocate(s.embedFloats());
        this.initEmbedding = new InitEmbedding(vision, models.noMemEmbed, s);
        this.attentionInputs = new AttentionInputs(s.memoryFloats(), s.channels(),
                MemoryBank.NUM_MASKMEM + config.maxConditioningFrames());
        this.decoderBatch = new DecoderBatch(s);
        this.objects = new Sam2Objects(s.maskSize(), width, height);
        try {
            imageTensor = Floats.tensor(models.env, image.buffer, 1, 3, s.imageSize(), s.imageSize());
            visionTensor = Floats.tensor(models.env, vision, 1, s.channels(), s.grid(), s.grid());
            hr0Tensor = Floats.tensor(models.env, Floats.allocate(s.hr0Channels() * s.hr0Size() * s.hr0Size()), 1,
                    s.hr0Channels(), s.hr0Size(), s.hr0Size());
            hr1Tensor = Floats.tensor(models.env, Floats.allocate(s.hr1Channels() * s.hr1Size() * s.hr1Size()), 1,
                    s.hr1Channels(), s.hr1Size(), s.hr1Size());
        } catch (OrtException e) {
            throw new IllegalStateException("cannot create SAM2 tensors: " + e.getMessage(), e);
        }
    }

    @Override
    public EngineResult step(EngineInput in) {
        try {
            return run(in);
        } catch (OrtException e) {
            throw new IllegalStateException("SAM2 inference failed: " + e.getMessage(), e);
        }
    }

    private EngineResult run(EngineInput in) throws OrtException {
        long frame = in.frameIndex();
        var timings = in.timings();
        initEmbedding.newFrame();
        conditioned.clear();
        timings.time("sam2.encoder", () -> encode(in.bgr()));
        Map<Sam2Object, Update> updates = new LinkedHashMap<>();
        List<Sam2Object> tracked = new ArrayList<>(objects.all());
        if (!tracked.isEmpty()) {
            track(tracked, frame, timings);
            tracked.forEach(o -> updates.put(o, new Update(o, false, false)));
        }
        List<Long> removed = new ArrayList<>();
        List<CommandOutcome> outcomes = new ArrayList<>();
        for (ObjectCommand command : in.commands()) {
            outcomes.add(apply(command, updates, removed, in.maxObjects()));
        }
        timings.time("sam2.masks", () -> updates.keySet().forEach(renderer::render));
        if (in.seeder() != null && objects.size() < in.maxObjects()) {
            seed(in, updates);
        }
        timings.time("sam2.memory_encoder", () -> encodeMemories(frame, updates.values()));
        List<EngineObject> result = objects.report(config.maxLostFrames(), removed);
        return new EngineResult(result, removed, outcomes);
    }

    @Override
    public void close() {
        for (OnnxTensor t : List.of(imageTensor, visionTensor, hr0Tensor, hr1Tensor)) {
            t.close();
        }
        image.close();
        renderer.close();
        objects.clear();
    }

    /** The image encoder, writing its three outputs into the session's own buffers. */
    private void encode(Mat bgr) {
        image.fill(bgr);
        try (OrtSession.Result ignored = models.imageEncoder.run(Map.of(IMAGE, imageTensor),
                Map.of(VISION_FEAT, visionTensor, HR0, hr0Tensor, HR1, hr1Tensor))) {
            // the outputs are pinned in the session's buffers
        } catch (OrtException e) {
            throw new IllegalStateException("SAM2 image encoder failed: " + e.getMessage(), e);
        }
    }

    /**
     * Memory attention for every tracked object into one embedding batch, then one decoder run for all of them. With a
     * batched graph, objects whose selections have the same numbers of memories and pointers (all objects tracked
     * for a while) share one run, at most {@code max-attention-batch} of them; otherwise each object runs alone.
     */
    private void track(List<Sam2Object> toTrack, long frame, StageTimings timings) throws OrtException {
        int e = shapes.embedFloats();
        long start = System.nanoTime();
        Map<Sam2Object, MemorySelection<FloatBuffer, float[]>> selections = new LinkedHashMap<>();
        for (Sam2Object o : toTrack) {
            selections.put(o, o.bank.select(frame));
        }
        List<List<Sam2Object>> runs = AttentionRuns.of(selections, models.batchedAttention, models.attentionBatch);
        List<Sam2Object> tracked = runs.stream().flatMap(List::stream).toList(); // each run's objects side by side
        FloatBuffer embeds = trackEmbeds.view(tracked.size() * e);
        int offset = 0;
        for (List<Sam2Object> group : runs) {
            FloatBuffer out = Floats.slice(embeds, offset * e, group.size() * e);
            attend(group.stream().map(selections::get).toList(), out);
            for (int i = 0; i < group.size(); i++) {
                conditioned.put(group.get(i), Floats.slice(embeds, (offset + i) * e, e));
            }
            offset += group.size();
        }
        timings.add("sam2.memory_attention", System.nanoTime() - start);
        start = System.nanoTime();
        decode(embeds, tracked.stream().map(DecoderBatch.Item::tracked).toList(), true);
        timings.add("sam2.decoder", System.nanoTime() - start);
    }

    /**
     * One memory-attention run for objects whose selections all hold the same numbers of memories and pointers: their
     * memories, slots, pointers and distances side by side; the memory-conditioned features into {@code out}.
     */
    private void attend(List<MemorySelection<FloatBuffer, float[]>> batch, FloatBuffer out) throws OrtException {
        int c = shapes.channels();
        int b = batch.size();
        int m = batch.get(0).memories().size();
        int p = batch.get(0).pointers().size();
        AttentionInputs in = attentionInputs;
        in.pack(batch);
        int g = shapes.grid();
        int cm = shapes.memChannels();
        boolean batched = models.batchedAttention;
        attentionRuns++;
        try (OnnxTensor memT = batched ? Floats.tensor(models.env, in.memories(), b, m, cm, g, g)
                : Floats.tensor(models.env, in.memories(), m, cm, g, g);
             OnnxTensor slotT = OnnxTensor.createTensor(models.env, in.slots(), batched ? new long[]{b, m} : new long[]{m});
             OnnxTensor ptrT = batched ? Floats.tensor(models.env, in.pointers(), b, p, c)
                     : Floats.tensor(models.env, in.pointers(), p, c);
             OnnxTensor tposT = batched ? Floats.tensor(models.env, in.distances(), b, p)
                     : Floats.tensor(models.env, in.distances(), p);
             OnnxTensor outT = Floats.tensor(models.env, out, b, c, g, g);
             OrtSession.Result ignored = models.memoryAttention.run(
                     Map.of(CURR, visionTensor, MEM, memT, MEM_SLOT, slotT, PTRS, ptrT, PTR_TPOS, tposT),
                     Map.of(PIX_FEAT, outT))) {
            // pix_feat is pinned in the decoder's embedding batch
        }
    }

    /**
     * Runs the decoder on {@code items} (all with the same number of points, all with or all without a mask input),
     * whose embeddings are in {@code embeds}, and takes each object's mask, pointer and scores from it.
     */
    private void decode(FloatBuffer embeds, List<DecoderBatch.Item> items, boolean tracking) throws OrtException {
        DecoderBatch batch = decoderBatch;
        batch.pack(items);
        int b = batch.size();
        int n = batch.points();
        int c = shapes.channels();
        int g = shapes.grid();
        int ms = shapes.maskSize();
        try (OnnxTensor embedT = Floats.tensor(models.env, embeds, b, c, g, g);
             OnnxTensor xyT = Floats.tensor(models.env, batch.coords(), b, n, 2);
             OnnxTensor labT = Floats.tensor(models.env, batch.labels(), b, n);
             OnnxTensor maskT = Floats.tensor(models.env, batch.maskInput(), b, 1, ms, ms);
             OnnxTensor flagT = Floats.tensor(models.env, batch.hasMask(), 1);
             OnnxTensor masksT = Floats.tensor(models.env, batch.masks(), b, 4, ms, ms);
             OnnxTensor iouT = Floats.tensor(models.env, batch.ious(), b, 4);
             OnnxTensor ptrsT = Floats.tensor(models.env, batch.pointers(), b, 4, c);
             OnnxTensor scoreT = Floats.tensor(models.env, batch.scores(), b, 1);
             OrtSession.Result ignored = models.promptDecoder.run(
                     Map.of(IMAGE_EMBED, embedT, HR0, hr0Tensor, HR1, hr1Tensor, POINT_COORDS, xyT, POINT_LABELS, labT,
                             MASK_INPUT, maskT, HAS_MASK, flagT),
                     Map.of(MASKS, masksT, IOU, iouT, OBJ_PTRS, ptrsT, OBJ_SCORE, scoreT))) {
            // outputs are pinned
        }
        batch.read(tracking, models.noObjPtr);
    }

    private CommandOutcome apply(ObjectCommand command, Map<Sam2Object, Update> updates, List<Long> removed, int maxObjects)
            throws OrtException {
        if (command instanceof ObjectCommand.Remove remove) {
            Sam2Object o = objects.get(remove.objectId());
            if (o == null) {
                return CommandOutcome.rejected("no object " + remove.objectId() + " on this stream");
            }
            remove(o, updates, removed);
            return CommandOutcome.removed(o.id);
        }
        Prompt prompt = ((ObjectCommand.Apply) command).prompt();
        PromptTarget target = PromptTarget.of(prompt, objects, promptsCreate, maxObjects);
        if (target instanceof PromptTarget.Rejected rejected) {
            return CommandOutcome.rejected(rejected.reason());
        }
        if (target instanceof PromptTarget.Removal removal) {
            removal.objects().forEach(o -> remove(o, updates, removed));
            return CommandOutcome.removed(removal.objects().get(0).id);
        }
        PromptPoints points = PromptPoints.of(prompt, width, height, shapes.imageSize());
        if (target instanceof PromptTarget.Correction correction) {
            Sam2Object o = correction.object();
            o.prompted |= correction.onMask();
            correct(o, points, prompt, updates);
            return CommandOutcome.corrected(o.id);
        }
        Sam2Object o = newObject(prompt.label(), true);
        decode(initEmbedding.get(), List.of(DecoderBatch.Item.prompted(o, points, null)), false);
        objects.register(o);
        updates.put(o, new Update(o, true, true));
        return CommandOutcome.created(o.id);
    }

    /** CORRECT: the prompt on this frame's features (memory-conditioned unless the object is new here) and logits. */
    private void correct(Sam2Object o, PromptPoints points, Prompt prompt, Map<Sam2Object, Update> updates) throws OrtException {
        if (prompt.label() != null) {
            o.label = prompt.label();
        }
        float[] previous = renderer.filled(o.logits, new float[o.logits.length]);
        for (int i = 0; i < previous.length; i++) {
            previous[i] = Math.max(-MASK_INPUT_LIMIT, Math.min(MASK_INPUT_LIMIT, previous[i]));
        }
        FloatBuffer features = conditioned.get(o);
        boolean createdHere = features == null; // prompted twice on the frame it was created on
        FloatBuffer embed = createdHere ? initEmbedding.get()
                : promptEmbeds.view(shapes.embedFloats()).put(features.duplicate().clear()).clear();
        decode(embed, List.of(DecoderBatch.Item.prompted(o, points, previous)), false);
        updates.put(o, new Update(o, createdHere || config.correctionsCondition(), true));
    }

    /** Starts objects on the seeds of this frame that fall where no mask is and whose own mask is mostly new. */
    private void seed(EngineInput in, Map<Sam2Object, Update> updates) {
        in.timings().time("sam2.seeding", () -> {
            Mat coverage = renderer.coverage(objects.all());
            List<Seed> seeds = in.seeder().seeds(new SeedContext(in.frameIndex(), in.bgr(), in.detections(), coverage, null));
            for (Seed seed : seeds) {
                if (objects.size() >= in.maxObjects()) {
                    return;
                }
                if (!renderer.free(coverage, seed.x(), seed.y())) {
                    continue;
                }
                Prompt prompt = seed.box() != null ? new Prompt(null, List.of(), seed.box(), seed.label())
                        : new Prompt(null, List.of(new PromptPoint(seed.x(), seed.y(), true)), null, seed.label());
                PromptPoints points = PromptPoints.of(prompt, width, height, shapes.imageSize());
                Sam2Object o = newObject(seed.label(), false);
                try {
                    decode(initEmbedding.get(), List.of(DecoderBatch.Item.prompted(o, points, null)), false);
                } catch (OrtException e) {
                    throw new IllegalStateException("SAM2 decoder failed on a seed: " + e.getMessage(), e);
                }
                renderer.render(o);
                if (o.mask != null && renderer.overlap(coverage, o.mask) < SEED_OVERLAP) {
                    objects.register(o);
                    updates.put(o, new Update(o, true, true));
                    renderer.mark(coverage, o.mask);
                }
            }
        });
    }

    /** The memory encoder once for every object decoded on this frame; the memories enter the banks. */
    private void encodeMemories(long frame, Collection<Update> updates) {
        if (updates.isEmpty()) {
            return;
        }
        int b = updates.size();
        int mf = shapes.maskFloats();
        int memFloats = shapes.memoryFloats();
        FloatBuffer masksIn = lowRes.view(b * mf);
        FloatBuffer bin = binarize.view(b);
        FloatBuffer score = memScores.view(b);
        for (Update u : updates) {
            // the reference encodes a prompted frame from its stored (hole-filled) pred_masks, a tracked frame from
            // the decoder's logits as they are
            masksIn.put(u.fromPoints() ? renderer.filled(u.object().logits, scratch) : u.object().logits);
            bin.put(u.fromPoints() ? 1 : 0);
            score.put(u.object().objectScore);
        }
        int ms = shapes.maskSize();
        int g = shapes.grid();
        FloatBuffer out = maskmem.view(b * memFloats);
        try (OnnxTensor maskT = Floats.tensor(models.env, masksIn.clear(), b, 1, ms, ms);
             OnnxTensor binT = Floats.tensor(models.env, bin.clear(), b, 1);
             OnnxTensor scoreT = Floats.tensor(models.env, score.clear(), b, 1);
             OnnxTensor outT = Floats.tensor(models.env, out, b, shapes.memChannels(), g, g);
             OrtSession.Result ignored = models.memoryEncoder.run(
                     Map.of(VISION_FEAT, visionTensor, LOW_RES_MASK, maskT, BINARIZE, binT, OBJ_SCORE, scoreT),
                     Map.of(MASKMEM, outT))) {
            // maskmem is pinned
        } catch (OrtException e) {
            throw new IllegalStateException("SAM2 memory encoder failed: " + e.getMessage(), e);
        }
        int i = 0;
        for (Update u : updates) {
            FloatBuffer memory = objects.memoryBuffer(memFloats);
            memory.clear().put(Floats.slice(out, i++ * memFloats, memFloats)).clear();
            Floats.roundToBfloat16(memory); // stored as bfloat16 by the reference predictor
            objects.remember(u.object(), frame, u.conditioning(), memory);
        }
    }

    /** The objects tracked now, in creation order (for the parity harness). */
    Collection<Sam2Object> objects() {
        return objects.all();
    }

    /** {@code logits} as the reference stores and outputs them: holes filled (for the parity harness). */
    float[] outputLogits(float[] logits) {
        return renderer.filled(logits, new float[logits.length]);
    }

    private Sam2Object newObject(String label, boolean prompted) {
        return new Sam2Object(shapes.maskFloats(), config.maxConditioningFrames(), label, prompted);
    }

    private void remove(Sam2Object o, Map<Sam2Object, Update> updates, List<Long> removed) {
        objects.remove(o);
        updates.remove(o);
        removed.add(o.id);
    }
}
