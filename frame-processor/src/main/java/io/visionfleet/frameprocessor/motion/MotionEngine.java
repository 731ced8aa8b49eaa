package io.visionfleet.frameprocessor.motion;

import io.visionfleet.frameprocessor.config.ProcessorConfig;
import io.visionfleet.frameprocessor.engine.Engine;
import io.visionfleet.frameprocessor.engine.EngineSession;
import io.visionfleet.frameprocessor.stage.StageStatus;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Locale;

/**
 * The CPU engine that needs no model files: background subtraction, morphological clean-up and connected components
 * give instance masks; a Kalman and ByteTrack-style tracker gives them persistent ids; camera-motion compensation
 * lets it run on a panning camera.
 */
@ApplicationScoped
public class MotionEngine implements Engine {
    public static final String NAME = "motion";

    private final ProcessorConfig config;
    /** The background models' temporaries, shared by all streams: see {@link BackgroundScratch}. */
    private final BackgroundScratch.Pool scratchSets = new BackgroundScratch.Pool();
    /** Whether the background models run in strips on this machine: see {@link StripChooser}. */
    private final StripChooser strips = StripChooser.timed();

    public MotionEngine(ProcessorConfig config) {
        this.config = config;
    }

    @PreDestroy
    void close() {
        scratchSets.close();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public StageStatus status() {
        String problem = misconfiguration(config.motion());
        if (problem != null) {
            return StageStatus.notReady(problem);
        }
        ProcessorConfig.Motion m = config.motion();
        return StageStatus.ready(m.subtractor() + (m.compensation() ? " background, camera-motion compensation" : " background"));
    }

    @Override
    public EngineSession open(String streamId, int width, int height) {
        String problem = misconfiguration(config.motion());
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
        return new MotionSession(config, width, height, background(config.motion(), scratchSets, strips));
    }

    private static BackgroundModel background(ProcessorConfig.Motion m, BackgroundScratch.Pool scratchSets,
                                              StripChooser strips) {
        return switch (m.subtractor().toLowerCase(Locale.ROOT)) {
            case "gaussian" ->
                    new GaussianBackground(m.threshold().orElse(16.0), m.learningFrames(), scratchSets, strips);
            case "mog2" -> OpenCvBackground.mog2(m.history(), m.threshold().orElse(16.0));
            case "knn" -> OpenCvBackground.knn(m.history(), m.threshold().orElse(400.0));
            default -> throw new IllegalStateException(misconfiguration(m));
        };
    }

    private static String misconfiguration(ProcessorConfig.Motion m) {
        String subtractor = m.subtractor().toLowerCase(Locale.ROOT);
        if (!subtractor.equals("gaussian") && !subtractor.equals("mog2") && !subtractor.equals("knn")) {
            return "fleet.processor.motion.subtractor must be gaussian, mog2 or knn, got '" + m.subtractor() + "'";
        }
        if (m.compensation() && !subtractor.equals("gaussian")) {
            return "fleet.processor.motion.compensation needs the gaussian subtractor: " + m.subtractor()
                    + " keeps its model inside OpenCV where it cannot be warped; set compensation=false for a static camera";
        }
        return null;
    }
}
