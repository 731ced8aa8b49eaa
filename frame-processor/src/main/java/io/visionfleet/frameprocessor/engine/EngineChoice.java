package io.visionfleet.frameprocessor.engine;

/**
 * The engine that actually runs a stream and why: the configured one, or for {@code engine=auto} the one it fell
 * back to. Readiness, {@code GET /streams/{id}/fps} and every result message name it.
 *
 * @param engine the engine whose sessions process the stream
 * @param reason why this engine: the configuration, or what made {@code auto} choose it
 */
public record EngineChoice(Engine engine, String reason) {
    public String name() {
        return engine.name();
    }
}
