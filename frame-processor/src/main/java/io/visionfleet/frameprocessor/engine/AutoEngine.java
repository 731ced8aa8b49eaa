package io.visionfleet.frameprocessor.engine;

import io.visionfleet.frameprocessor.motion.MotionEngine;
import io.visionfleet.frameprocessor.sam2.Sam2Engine;
import io.visionfleet.frameprocessor.stage.StageStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * {@code fleet.processor.engine=auto} (the default): SAM2 when its graphs load, otherwise the {@code motion} engine,
 * so a stream whose model files are missing or broken is still tracked. The choice is made when a stream's pipeline
 * opens (its first frame, or its first after a restart or an idle timeout): files that appear later are picked up
 * by streams that start afterwards, while running streams keep their engine.
 */
@ApplicationScoped
public class AutoEngine implements Engine {
    public static final String NAME = "auto";
    private static final Logger LOG = Logger.getLogger(AutoEngine.class);

    private final Engine sam2;
    private final Engine motion;
    private String lastChoice;

    @Inject
    public AutoEngine(Sam2Engine sam2, MotionEngine motion) {
        this((Engine) sam2, motion);
    }

    /** The two engines it chooses between (tests pass their own). */
    public AutoEngine(Engine sam2, Engine motion) {
        this.sam2 = sam2;
        this.motion = motion;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The chosen engine's status: ready when either engine can run. */
    @Override
    public StageStatus status() {
        return choose().engine().status();
    }

    @Override
    public EngineChoice choose() {
        StageStatus s = sam2.status();
        EngineChoice choice = s.ready()
                ? new EngineChoice(sam2, "engine=auto: SAM2 graphs loaded (" + s.detail() + ")")
                : new EngineChoice(motion, "engine=auto: SAM2 not ready, motion engine instead: " + s.detail());
        logChange(choice);
        return choice;
    }

    /** Opens on the engine chosen now; callers that report the choice call {@link #choose()} and open on it. */
    @Override
    public EngineSession open(String streamId, int width, int height) {
        return choose().engine().open(streamId, width, height);
    }

    private synchronized void logChange(EngineChoice choice) {
        if (!choice.name().equals(lastChoice)) {
            lastChoice = choice.name();
            LOG.infof("%s", choice.reason());
        }
    }
}
