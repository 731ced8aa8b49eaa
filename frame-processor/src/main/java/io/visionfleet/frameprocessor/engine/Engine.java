package io.visionfleet.frameprocessor.engine;

import io.visionfleet.frameprocessor.stage.StageStatus;

/**
 * A segmentation and tracking engine, chosen by {@code fleet.processor.engine}. It is shared by every stream and
 * keeps no per-stream state: {@link #open} makes one {@link EngineSession} per stream, which holds it all (background
 * model, tracks, per-object memory).
 */
public interface Engine {
    /** The name that selects it in configuration ({@code motion}, {@code sam2}). */
    String name();

    /** Whether the engine can process frames, e.g. false while its model files are missing, with the reason. */
    default StageStatus status() {
        return StageStatus.ready(name());
    }

    /**
     * The engine that runs a new stream now and why. An engine that does the work itself answers itself; one that
     * chooses among others ({@code auto}) answers the one it picked. Sessions are opened on the chosen engine.
     */
    default EngineChoice choose() {
        return new EngineChoice(this, "fleet.processor.engine=" + name());
    }

    /** A session for one stream of {@code width} x {@code height} pictures. */
    EngineSession open(String streamId, int width, int height);
}
