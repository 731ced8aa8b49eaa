package io.visionfleet.frameprocessor.sam2;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * The CUDA and TensorRT provider options the configuration gives, under ONNX Runtime's key names (the providers
 * themselves need a GPU build and a GPU; this checks what they would be handed).
 */
@Tag("quick")
class Sam2ProviderOptionsTest {
    @Test
    void defaultsNameTheDeviceOnlyAndKeepTensorRtInFp32() {
        Sam2Config config = Sam2EngineTest.config(Map.of());
        assertThat(Sam2Models.cudaOptions(config)).containsExactly(entry("device_id", "0"));
        assertThat(Sam2Models.tensorrtOptions(config)).containsExactly(entry("device_id", "0"), entry("trt_fp16_enable", "0"));
    }

    @Test
    void deviceMemoryLimitFp16AndEngineCacheAreHandedToTheProviders() {
        Sam2Config config = Sam2EngineTest.config(Map.of("fleet.processor.sam2.cuda-device", "1",
                "fleet.processor.sam2.cuda-memory-limit-mib", "6144", "fleet.processor.sam2.tensorrt", "true",
                "fleet.processor.sam2.tensorrt-fp16", "true", "fleet.processor.sam2.tensorrt-cache-dir", "/models/trt"));
        assertThat(Sam2Models.cudaOptions(config))
                .containsExactly(entry("device_id", "1"), entry("gpu_mem_limit", Long.toString(6144L << 20)));
        assertThat(Sam2Models.tensorrtOptions(config)).containsExactly(entry("device_id", "1"),
                entry("trt_fp16_enable", "1"), entry("trt_engine_cache_enable", "1"), entry("trt_engine_cache_path", "/models/trt"));
    }

    @Test
    void onACpuBuildTheDetailSaysWhyItRunsOnTheCpu() throws Exception {
        // this build of ONNX Runtime has no CUDA provider: provider=auto falls back to the CPU and says so
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("sam2-providers");
        Sam2TestGraphs.write(dir, "tiny", "fp32", 512, 32);
        Sam2Engine engine = new Sam2Engine(Sam2EngineTest.config(Map.of("fleet.processor.sam2.model-dir", dir.toString(),
                "fleet.processor.sam2.tensorrt", "true", "fleet.processor.sam2.tensorrt-fp16", "true")));
        try {
            assertThat(engine.status().ready()).isTrue();
            assertThat(engine.status().detail()).contains("CPU, 2 threads", "no CUDA provider in this ONNX Runtime build");
        } finally {
            engine.close();
        }
    }
}
