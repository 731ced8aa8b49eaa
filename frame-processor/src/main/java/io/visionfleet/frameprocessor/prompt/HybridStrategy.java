package io.visionfleet.frameprocessor.prompt;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/** Detector seeds first (they carry labels), then moving regions no detection explains. */
@ApplicationScoped
public class HybridStrategy implements PromptStrategy {
    public static final String NAME = "hybrid";

    private final MotionStrategy motion;

    public HybridStrategy(MotionStrategy motion) {
        this.motion = motion;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Seeder open(int width, int height) {
        Seeder moving = motion.open(width, height);
        return new Seeder() {
            @Override
            public List<Seed> seeds(SeedContext context) {
                List<Seed> seeds = new ArrayList<>(DetectorStrategy.seeds(context));
                for (Seed m : moving.seeds(context)) {
                    if (seeds.stream().noneMatch(d -> d.box() != null && d.box().contains(m.x(), m.y()))) {
                        seeds.add(m);
                    }
                }
                return seeds;
            }

            @Override
            public void close() {
                moving.close();
            }
        };
    }
}
