package io.visionfleet.frameprocessor.prompt;

import io.visionfleet.frameprocessor.config.ProcessorConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;

/** Seeds a regular grid of points ({@code grid-points} per side, cell centres), skipping points on tracked objects. */
@ApplicationScoped
public class GridStrategy implements PromptStrategy {
    public static final String NAME = "grid";

    private final int perSide;

    public GridStrategy(ProcessorConfig config) {
        this.perSide = Math.max(1, config.gridPoints());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Seeder open(int width, int height) {
        return context -> {
            List<Seed> seeds = new ArrayList<>();
            for (int j = 0; j < perSide; j++) {
                for (int i = 0; i < perSide; i++) {
                    double x = (i + 0.5) * width / perSide;
                    double y = (j + 0.5) * height / perSide;
                    if (Coverage.free(context.coverage(), x, y)) {
                        seeds.add(Seed.point(x, y));
                    }
                }
            }
            return seeds;
        };
    }
}
