package io.visionfleet.frameprocessor.prompt;

/**
 * How a stream in automatic mode finds new objects ({@code fleet.processor.prompt-strategy}): every re-prompt interval
 * it proposes {@link Seed}s where no tracked object is, and the engine starts objects there.
 */
public interface PromptStrategy {
    /** The name that selects it in configuration. */
    String name();

    /** A seeder for one stream of {@code width} x {@code height} pictures. */
    Seeder open(int width, int height);
}
