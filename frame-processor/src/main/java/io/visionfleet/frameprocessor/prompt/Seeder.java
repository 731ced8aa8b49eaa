package io.visionfleet.frameprocessor.prompt;

import java.util.List;

/** One stream's instance of a {@link PromptStrategy}, with whatever state it keeps between frames. */
public interface Seeder extends AutoCloseable {
    /** Seeds for new objects in this frame, best first. */
    List<Seed> seeds(SeedContext context);

    @Override
    default void close() {
    }
}
