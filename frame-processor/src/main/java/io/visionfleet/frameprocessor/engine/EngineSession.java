package io.visionfleet.frameprocessor.engine;

/**
 * One stream's engine state. Frames arrive in order on one thread; {@link #step} sees each frame once and applies the
 * object commands (prompts, removals) gathered since the previous frame to it.
 *
 * <p>How an engine fits: it returns every object it knows with its {@link ObjectStatus}. The motion engine finds
 * moving regions and tracks them; a prompt selects the region under it. A SAM2 engine encodes the frame once, steps
 * each object's memory, reports an object whose score says "occluded" as {@link ObjectStatus#LOST}, initialises
 * objects from prompts and from the seeds of {@link EngineInput#seeder()}.
 */
public interface EngineSession extends AutoCloseable {
    EngineResult step(EngineInput input);

    /** Frees the session's native memory. */
    @Override
    void close();
}
