package io.visionfleet.frameprocessor.sam2;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code sam2} engine ({@code fleet.processor.sam2.*}): which exported SAM2.1 graphs it loads and how it runs
 * them. The graphs and their I/O contract are described in {@code docs/sam2-onnx.md}; {@code deploy/models/} exports
 * them from the official checkpoints.
 */
@ConfigMapping(prefix = "fleet.processor.sam2")
public interface Sam2Config {
    /** Directory holding one folder per exported model, {@code <size>-<precision>/} with the five graphs. */
    @WithDefault("models/sam2")
    Path modelDir();

    /** Hiera trunk: {@code tiny}, {@code small}, {@code base_plus} or {@code large}. */
    @WithDefault("tiny")
    String size();

    /** Weights of the export: {@code fp32}, or {@code fp16} (inputs, outputs and mask logits stay fp32). */
    @WithDefault("fp32")
    String precision();

    /** Execution provider: {@code auto} (CUDA when this ONNX Runtime build has it, else CPU), {@code cuda} or {@code cpu}. */
    @WithDefault("auto")
    String provider();

    /** CUDA device the sessions run on. */
    @WithDefault("0")
    int cudaDevice();

    /**
     * Most GPU memory ONNX Runtime's CUDA arena may take, in MiB ({@code gpu_mem_limit}); unset: no limit. Set it when
     * other processes share the GPU.
     */
    Optional<Long> cudaMemoryLimitMib();

    /** Put TensorRT in front of CUDA (builds engines on first use; the onnxruntime_gpu build with TensorRT libraries). */
    @WithDefault("false")
    boolean tensorrt();

    /** Let TensorRT build fp16 engines ({@code trt_fp16_enable}) from an fp32 export; used only with {@code tensorrt}. */
    @WithDefault("false")
    boolean tensorrtFp16();

    /**
     * Directory where TensorRT keeps the engines it built ({@code trt_engine_cache_path}), so a restart does not
     * rebuild them (minutes per graph); unset: no cache.
     */
    Optional<Path> tensorrtCacheDir();

    /**
     * Most objects in one memory-attention run. Each object's cross-attention holds a 4096 x (7 x 4096 + 64) score
     * matrix (about 470 MB in fp32 for SAM2.1 at 1024), so this bounds the run's working memory on CPU and GPU alike.
     * Unset: 8 on CUDA, where a run per object is mostly call overhead, and 1 on the CPU, where batching measured no
     * gain and each object in a run added about 2 GiB of peak memory (docs/benchmarks.md, SAM2.1-tiny).
     */
    Optional<Integer> maxAttentionBatch();

    /** ONNX Runtime intra-op threads per graph on CPU. */
    @WithDefault("2")
    int threads();

    /**
     * Most conditioning (prompted) frames one object attends at once ({@code max_cond_frames_in_attn}; the reference
     * attends all, which a live stream cannot afford). Older ones are evicted.
     */
    @WithDefault("4")
    int maxConditioningFrames();

    /**
     * Whether a correction prompt on a tracked object makes that frame a conditioning frame (kept, slot 6) or a
     * normal one that leaves the bank after 6 frames, as the reference predictor does by default
     * ({@code add_all_frames_to_correct_as_cond=false}).
     */
    @WithDefault("false")
    boolean correctionsCondition();

    /** Frames an occluded object (object score at most 0) keeps its id before it is removed and may be seeded again. */
    @WithDefault("90")
    int maxLostFrames();

    /** Background holes of at most this many low-resolution mask pixels are filled ({@code fill_hole_area}). */
    @WithDefault("8")
    int fillHoleArea();

    /**
     * How frames are resized to the encoder's input: {@code pil-bicubic}, the reference predictor's Pillow resize bit
     * for bit (bicubic, antialiased when downscaling), or {@code linear}, OpenCV's bilinear filter (faster, other
     * pixels). Costs are in docs/benchmarks.md.
     */
    @WithDefault("pil-bicubic")
    Resize resize();

    /** The filters {@link #resize()} chooses from. */
    enum Resize {
        PIL_BICUBIC,
        LINEAR
    }
}
