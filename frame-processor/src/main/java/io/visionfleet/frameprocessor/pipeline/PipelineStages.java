package io.visionfleet.frameprocessor.pipeline;

import io.quarkus.runtime.Startup;
import io.visionfleet.frameprocessor.config.ProcessorConfig;
import io.visionfleet.frameprocessor.detect.Detector;
import io.visionfleet.frameprocessor.engine.Engine;
import io.visionfleet.frameprocessor.prompt.Mode;
import io.visionfleet.frameprocessor.prompt.PromptStrategy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The stages the configuration chose, looked up by name among the engine, detector and strategy beans, so a new
 * implementation plugs in as a bean and is selected without code changes. An unknown name stops the service at
 * start-up with the names that exist; a known stage that cannot work (a model file missing) starts and reports why
 * through readiness.
 */
@Startup
@ApplicationScoped
public class PipelineStages {
    private static final Logger LOG = Logger.getLogger(PipelineStages.class);
    public static final String NO_DETECTOR = "none";

    private final Engine engine;
    private final Detector detector;
    private final PromptStrategy strategy;
    private final Mode initialMode;

    public PipelineStages(ProcessorConfig config, @Any Instance<Engine> engines, @Any Instance<Detector> detectors,
                          @Any Instance<PromptStrategy> strategies) {
        this.engine = pick("fleet.processor.engine", config.engine(), engines, Engine::name);
        this.detector = NO_DETECTOR.equals(config.detector()) ? null
                : pick("fleet.processor.detector", config.detector(), detectors, Detector::name);
        this.strategy = pick("fleet.processor.prompt-strategy", config.promptStrategy(), strategies, PromptStrategy::name);
        this.initialMode = Mode.parse(config.mode());
        if (detector != null) {
            detector.start();
        }
        LOG.infof("pipeline: detector %s, engine %s (%s), prompt strategy %s, streams start %s",
                detector == null ? NO_DETECTOR : detector.name() + " (" + detector.status().detail() + ")",
                engine.name(), engine.status().detail(), strategy.name(), initialMode.id());
    }

    public Engine engine() {
        return engine;
    }

    public Optional<Detector> detector() {
        return Optional.ofNullable(detector);
    }

    public PromptStrategy strategy() {
        return strategy;
    }

    public Mode initialMode() {
        return initialMode;
    }

    private static <T> T pick(String key, String name, Instance<T> beans, Function<T, String> nameOf) {
        List<T> all = beans.stream().toList();
        return all.stream().filter(b -> nameOf.apply(b).equals(name)).findFirst().orElseThrow(() ->
                new IllegalStateException(key + "=" + name + " is not available; choose one of "
                        + all.stream().map(nameOf).sorted().toList()));
    }
}
