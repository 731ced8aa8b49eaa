package io.visionfleet.frameprocessor.prompt;

import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.support.Natives;
import jakarta.enterprise.context.ApplicationScoped;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_saliency.StaticSaliencySpectralResidual;

import java.util.List;

/**
 * Seeds salient regions not yet tracked: OpenCV's spectral-residual saliency (Hou and Zhang, 2007), made binary, split
 * into connected components. It finds objects that stand out from their surroundings whether or not they move,
 * which suits engines that segment from a prompt (SAM2); the motion engine can only take up the moving ones.
 */
@ApplicationScoped
public class SaliencyStrategy implements PromptStrategy {
    public static final String NAME = "saliency";
    private static final double MIN_AREA = 0.002;
    private static final int MAX_SEEDS = 16;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Seeder open(int width, int height) {
        int minArea = Math.max(16, (int) (MIN_AREA * width * height));
        StaticSaliencySpectralResidual saliency = Natives.keep(StaticSaliencySpectralResidual.create());
        return new Seeder() {
            @Override
            public List<Seed> seeds(SeedContext context) {
                Mat map = new Mat();
                Mat binary = new Mat();
                if (!saliency.computeSaliency(context.bgr(), map) || !saliency.computeBinaryMap(map, binary)) {
                    return List.of();
                }
                return Regions.of(binary, minArea).stream()
                        .filter(box -> Coverage.free(context.coverage(), box))
                        .limit(MAX_SEEDS)
                        .map((Box box) -> Seed.box(box, null, 1))
                        .toList();
            }

            @Override
            public void close() {
                Natives.release(saliency);
            }
        };
    }
}
