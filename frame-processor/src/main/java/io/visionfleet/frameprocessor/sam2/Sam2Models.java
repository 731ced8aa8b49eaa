package io.visionfleet.frameprocessor.sam2;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.visionfleet.frameprocessor.sam2.Sam2Graphs.*;

/**
 * The five loaded graphs of one export, checked against the I/O contract, the constants read once, and the execution
 * provider they run on. Sessions are shared by every stream (ONNX Runtime sessions are thread-safe).
 */
final class Sam2Models implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Sam2Models.class);
    /** Objects per memory-attention run on CUDA unless configured. */
    private static final int GPU_ATTENTION_BATCH = 8;

    final OrtEnvironment env;
    final OrtSession imageEncoder;
    final OrtSession promptDecoder;
    final OrtSession memoryAttention;
    final OrtSession memoryEncoder;
    final Sam2Shapes shapes;
    final float[] noMemEmbed;
    final float[] noObjPtr;
    final String detail;
    /**
     * Whether memory attention takes a batch of objects ({@code mem} [B,M,Cm,G,G], see docs/sam2-onnx.md) or one
     * object per run ({@code mem} [M,Cm,G,G], exports made before the batched contract).
     */
    final boolean batchedAttention;
    /** Most objects in one memory-attention run ({@code max-attention-batch}, or the provider's default). */
    final int attentionBatch;

    private Sam2Models(OrtEnvironment env, Map<String, OrtSession> sessions, Sam2Shapes shapes, float[] noMemEmbed,
                       float[] noObjPtr, String detail, boolean batchedAttention, int attentionBatch) {
        this.env = env;
        this.imageEncoder = sessions.get(IMAGE_ENCODER);
        this.promptDecoder = sessions.get(PROMPT_DECODER);
        this.memoryAttention = sessions.get(MEMORY_ATTENTION);
        this.memoryEncoder = sessions.get(MEMORY_ENCODER);
        this.shapes = shapes;
        this.noMemEmbed = noMemEmbed;
        this.noObjPtr = noObjPtr;
        this.detail = detail;
        this.batchedAttention = batchedAttention;
        this.attentionBatch = attentionBatch;
    }

    /** How {@link #missing} starts when files are absent (not a configuration mistake). */
    static final String MISSING = "SAM2 model files missing";

    /** Why the configured export cannot be loaded, or null when every file is there. */
    static String missing(Sam2Config config) {
        String size = config.size().toLowerCase(Locale.ROOT);
        if (!List.of("tiny", "small", "base_plus", "large").contains(size)) {
            return "fleet.processor.sam2.size must be tiny, small, base_plus or large, got '" + config.size() + "'";
        }
        if (!List.of("fp32", "fp16").contains(config.precision().toLowerCase(Locale.ROOT))) {
            return "fleet.processor.sam2.precision must be fp32 or fp16, got '" + config.precision() + "'";
        }
        if (!List.of("auto", "cuda", "cpu").contains(config.provider().toLowerCase(Locale.ROOT))) {
            return "fleet.processor.sam2.provider must be auto, cuda or cpu, got '" + config.provider() + "'";
        }
        Path dir = folder(config);
        List<String> absent = new ArrayList<>();
        for (String graph : ALL) {
            if (!Files.isReadable(dir.resolve(graph + ".onnx"))) {
                absent.add(graph + ".onnx");
            }
        }
        return absent.isEmpty() ? null : MISSING + " in " + dir.toAbsolutePath() + ": " + absent
                + " (export them with deploy/models/export_sam2.py, see docs/sam2-onnx.md)";
    }

    static Path folder(Sam2Config config) {
        return config.modelDir().resolve(Sam2Graphs.folder(config.size().toLowerCase(Locale.ROOT), config.precision().toLowerCase(Locale.ROOT)));
    }

    static Sam2Models load(Sam2Config config) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Path dir = folder(config);
        String provider = config.provider().toLowerCase(Locale.ROOT);
        EnumSet<OrtProvider> available = OrtEnvironment.getAvailableProviders();
        boolean cuda = !provider.equals("cpu") && available.contains(OrtProvider.CUDA);
        boolean tensorrt = cuda && config.tensorrt() && available.contains(OrtProvider.TENSOR_RT);
        String where;
        if (cuda) {
            where = (tensorrt ? "TensorRT" + (config.tensorrtFp16() ? " fp16" : "") + "+CUDA" : "CUDA") + " device "
                    + config.cudaDevice() + config.cudaMemoryLimitMib().map(m -> ", memory limit " + m + " MiB").orElse("");
            if (config.tensorrt() && !tensorrt) {
                where += " (no TensorRT provider in this ONNX Runtime build: " + available + ")";
                LOG.warnf("SAM2: fleet.processor.sam2.tensorrt=true but ONNX Runtime offers %s; running on CUDA", available);
            }
        } else {
            where = "CPU, " + config.threads() + " threads";
            if (!provider.equals("cpu")) {
                where += " (no CUDA provider in this ONNX Runtime build: " + available + "; build with -Pgpu on a GPU host)";
                LOG.warnf("SAM2 runs on the CPU: fleet.processor.sam2.provider=%s but ONNX Runtime offers %s", provider, available);
            }
        }
        Map<String, OrtSession> sessions = new LinkedHashMap<>();
        try {
            for (String graph : ALL) {
                try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                     OrtTensorRTProviderOptions trt = tensorrt ? new OrtTensorRTProviderOptions(config.cudaDevice()) : null;
                     OrtCUDAProviderOptions gpu = cuda ? new OrtCUDAProviderOptions(config.cudaDevice()) : null) {
                    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                    options.setIntraOpNumThreads(Math.max(1, config.threads()));
                    if (trt != null) {
                        for (var option : tensorrtOptions(config).entrySet()) {
                            trt.add(option.getKey(), option.getValue());
                        }
                        options.addTensorrt(trt);
                    }
                    if (gpu != null) {
                        for (var option : cudaOptions(config).entrySet()) {
                            gpu.add(option.getKey(), option.getValue());
                        }
                        options.addCUDA(gpu);
                    }
                    sessions.put(graph, env.createSession(dir.resolve(graph + ".onnx").toString(), options));
                }
            }
            Sam2Shapes shapes = shapes(sessions);
            float[] noMemEmbed;
            float[] noObjPtr;
            try (OrtSession.Result constants = sessions.get(CONSTANTS).run(Map.of())) {
                noMemEmbed = vector(constants, NO_MEM_EMBED, shapes.channels());
                noObjPtr = vector(constants, NO_OBJ_PTR, shapes.channels());
            }
            sessions.remove(CONSTANTS).close();
            boolean batched = batchedAttention(sessions.get(MEMORY_ATTENTION).getInputInfo());
            int most = batched ? Math.max(1, config.maxAttentionBatch().orElse(cuda ? GPU_ATTENTION_BATCH : 1)) : 1;
            String detail = dir.getFileName() + ", input " + shapes.imageSize() + "x" + shapes.imageSize()
                    + (batched ? ", memory attention for up to " + most + (most == 1 ? " object" : " objects") + " a run"
                            : ", memory attention per object")
                    + ", ONNX Runtime " + where;
            return new Sam2Models(env, sessions, shapes, noMemEmbed, noObjPtr, detail, batched, most);
        } catch (OrtException | RuntimeException e) {
            for (OrtSession s : sessions.values()) {
                s.close();
            }
            throw e;
        }
    }

    /** The CUDA provider's options from the configuration (ONNX Runtime's key names). */
    static Map<String, String> cudaOptions(Sam2Config config) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("device_id", Integer.toString(config.cudaDevice()));
        config.cudaMemoryLimitMib().ifPresent(mib -> options.put("gpu_mem_limit", Long.toString(mib * 1024 * 1024)));
        return options;
    }

    /** The TensorRT provider's options from the configuration (ONNX Runtime's key names). */
    static Map<String, String> tensorrtOptions(Sam2Config config) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("device_id", Integer.toString(config.cudaDevice()));
        options.put("trt_fp16_enable", config.tensorrtFp16() ? "1" : "0");
        config.tensorrtCacheDir().ifPresent(dir -> {
            options.put("trt_engine_cache_enable", "1");
            options.put("trt_engine_cache_path", dir.toAbsolutePath().toString());
        });
        return options;
    }

    @Override
    public void close() throws OrtException {
        for (OrtSession s : List.of(imageEncoder, promptDecoder, memoryAttention, memoryEncoder)) {
            s.close();
        }
    }

    /** Reads the sizes from the graphs' declared shapes and checks every name and rank of the contract. */
    private static Sam2Shapes shapes(Map<String, OrtSession> s) throws OrtException {
        long[] image = dims(s.get(IMAGE_ENCODER).getInputInfo(), IMAGE_ENCODER, IMAGE, 4);
        long[] feat = dims(s.get(IMAGE_ENCODER).getOutputInfo(), IMAGE_ENCODER, VISION_FEAT, 4);
        long[] hr0 = dims(s.get(IMAGE_ENCODER).getOutputInfo(), IMAGE_ENCODER, HR0, 4);
        long[] hr1 = dims(s.get(IMAGE_ENCODER).getOutputInfo(), IMAGE_ENCODER, HR1, 4);
        Map<String, NodeInfo> decoderIn = s.get(PROMPT_DECODER).getInputInfo();
        dims(decoderIn, PROMPT_DECODER, IMAGE_EMBED, 4);
        dims(decoderIn, PROMPT_DECODER, HR0, 4);
        dims(decoderIn, PROMPT_DECODER, HR1, 4);
        dims(decoderIn, PROMPT_DECODER, POINT_COORDS, 3);
        dims(decoderIn, PROMPT_DECODER, POINT_LABELS, 2);
        long[] maskInput = dims(decoderIn, PROMPT_DECODER, MASK_INPUT, 4);
        dims(decoderIn, PROMPT_DECODER, HAS_MASK, 1);
        Map<String, NodeInfo> decoderOut = s.get(PROMPT_DECODER).getOutputInfo();
        dims(decoderOut, PROMPT_DECODER, MASKS, 4);
        dims(decoderOut, PROMPT_DECODER, IOU, 2);
        dims(decoderOut, PROMPT_DECODER, OBJ_PTRS, 3);
        dims(decoderOut, PROMPT_DECODER, OBJ_SCORE, 2);
        Map<String, NodeInfo> attentionIn = s.get(MEMORY_ATTENTION).getInputInfo();
        int batch = batchedAttention(attentionIn) ? 1 : 0;
        dims(attentionIn, MEMORY_ATTENTION, CURR, 4);
        dims(attentionIn, MEMORY_ATTENTION, MEM, 4 + batch);
        dims(attentionIn, MEMORY_ATTENTION, MEM_SLOT, 1 + batch);
        dims(attentionIn, MEMORY_ATTENTION, PTRS, 2 + batch);
        dims(attentionIn, MEMORY_ATTENTION, PTR_TPOS, 1 + batch);
        dims(s.get(MEMORY_ATTENTION).getOutputInfo(), MEMORY_ATTENTION, PIX_FEAT, 4);
        Map<String, NodeInfo> encoderIn = s.get(MEMORY_ENCODER).getInputInfo();
        dims(encoderIn, MEMORY_ENCODER, VISION_FEAT, 4);
        dims(encoderIn, MEMORY_ENCODER, LOW_RES_MASK, 4);
        dims(encoderIn, MEMORY_ENCODER, BINARIZE, 2);
        dims(encoderIn, MEMORY_ENCODER, OBJ_SCORE, 2);
        long[] maskmem = dims(s.get(MEMORY_ENCODER).getOutputInfo(), MEMORY_ENCODER, MASKMEM, 4);
        Map<String, NodeInfo> constants = s.get(CONSTANTS).getOutputInfo();
        dims(constants, CONSTANTS, NO_MEM_EMBED, 2);
        dims(constants, CONSTANTS, NO_OBJ_PTR, 2);
        long[] fixed = {image[2], image[3], feat[1], feat[2], hr0[1], hr0[2], hr1[1], hr1[2], maskInput[2], maskmem[1]};
        if (Arrays.stream(fixed).anyMatch(d -> d <= 0) || image[2] != image[3] || feat[2] != feat[3]) {
            throw new IllegalArgumentException("the image encoder needs a fixed square input and output, it declares "
                    + Arrays.toString(image) + " -> " + Arrays.toString(feat));
        }
        return new Sam2Shapes((int) image[2], (int) feat[1], (int) feat[2], (int) hr0[1], (int) hr0[2], (int) hr1[1],
                (int) hr1[2], (int) maskInput[2], (int) maskmem[1]);
    }

    /** Whether memory attention declares the batched contract: {@code mem} of rank 5. */
    private static boolean batchedAttention(Map<String, NodeInfo> attentionIn) {
        NodeInfo mem = attentionIn.get(MEM);
        return mem != null && mem.getInfo() instanceof TensorInfo t && t.getShape().length == 5;
    }

    private static long[] dims(Map<String, NodeInfo> infos, String graph, String name, int rank) {
        NodeInfo info = infos.get(name);
        if (info == null || !(info.getInfo() instanceof TensorInfo tensor)) {
            throw new IllegalArgumentException(graph + ".onnx has no tensor '" + name + "' (it has " + infos.keySet()
                    + "); see docs/sam2-onnx.md");
        }
        long[] shape = tensor.getShape();
        if (shape.length != rank) {
            throw new IllegalArgumentException(graph + ".onnx: '" + name + "' has rank " + shape.length + ", the contract says " + rank);
        }
        return shape;
    }

    private static float[] vector(OrtSession.Result result, String name, int length) {
        OnnxTensor t = (OnnxTensor) result.get(name).orElseThrow(() ->
                new IllegalArgumentException("constants.onnx has no output '" + name + "'"));
        float[] v = new float[length];
        t.getFloatBuffer().get(v);
        return v;
    }
}
