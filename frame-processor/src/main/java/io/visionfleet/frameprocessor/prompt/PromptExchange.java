package io.visionfleet.frameprocessor.prompt;

/**
 * The fanout exchange on which dashboards and other services send prompts and removals ({@link PromptRequest},
 * schema {@code prompt/1}). Kept here until the shared {@code Exchanges} lists it.
 */
public final class PromptExchange {
    public static final String NAME = "processor_prompts_exchange";

    private PromptExchange() {
    }
}
