package io.visionfleet.frameprocessor.prompt;

import io.visionfleet.frameprocessor.detect.Detection;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Comparator;
import java.util.List;

/** Seeds the detector's boxes (with their labels) that tracked objects do not cover yet, most confident first. */
@ApplicationScoped
public class DetectorStrategy implements PromptStrategy {
    public static final String NAME = "detector";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Seeder open(int width, int height) {
        return DetectorStrategy::seeds;
    }

    static List<Seed> seeds(SeedContext context) {
        return context.detections().stream()
                .sorted(Comparator.comparingDouble(Detection::score).reversed())
                .filter(d -> Coverage.free(context.coverage(), d.box()))
                .map(d -> Seed.box(d.box(), d.label(), d.score()))
                .toList();
    }
}
