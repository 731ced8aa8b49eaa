package io.visionfleet.frameprocessor.sam2;

import ai.onnxruntime.OrtException;
import io.visionfleet.frameprocessor.engine.CommandOutcome;
import io.visionfleet.frameprocessor.engine.Engine;
import io.visionfleet.frameprocessor.engine.EngineResult;
import io.visionfleet.frameprocessor.engine.EngineSession;
import io.visionfleet.frameprocessor.stage.StageStatus;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * SAM2.1 video tracking on ONNX Runtime ({@code fleet.processor.engine=sam2}). The graphs are loaded on first use
 * (so a service that runs another engine never touches them); without them, or with a broken export, readiness says
 * why and streams pass through with no objects, prompts refused with the same reason, while health and the rest of
 * the service keep working ({@code engine=auto} runs the motion engine instead). Missing files are looked for
 * again on the next status request, so an export copied in later is loaded without a restart.
 */
@ApplicationScoped
public class Sam2Engine implements Engine {
    public static final String NAME = "sam2";
    private static final Logger LOG = Logger.getLogger(Sam2Engine.class);

    private final Sam2Config config;
    private Sam2Models models;
    private StageStatus status;
    /** The last load failed only because files were missing: it is tried again once they are all there. */
    private boolean filesMissing;

    public Sam2Engine(Sam2Config config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized StageStatus status() {
        if (status == null || filesMissing && Sam2Models.missing(config) == null) {
            load();
        }
        return status;
    }

    @Override
    public EngineSession open(String streamId, int width, int height) {
        Sam2Models loaded;
        StageStatus current;
        synchronized (this) {
            current = status();
            loaded = models;
        }
        if (loaded == null) {
            return new Unavailable(current.detail());
        }
        return new Sam2Session(loaded, config, width, height);
    }

    @PreDestroy
    synchronized void close() {
        if (models != null) {
            try {
                models.close();
            } catch (OrtException e) {
                LOG.debugf("closing the SAM2 sessions: %s", e.getMessage());
            }
            models = null;
        }
    }

    private void load() {
        String missing = Sam2Models.missing(config);
        filesMissing = missing != null && missing.startsWith(Sam2Models.MISSING);
        if (missing != null) {
            refuse(missing);
            return;
        }
        try {
            models = Sam2Models.load(config);
            status = StageStatus.ready(models.detail);
            LOG.infof("SAM2 engine ready: %s", models.detail);
        } catch (OrtException | RuntimeException e) {
            refuse("cannot load the SAM2 graphs from " + Sam2Models.folder(config).toAbsolutePath() + ": " + e.getMessage());
        }
    }

    private void refuse(String reason) {
        status = StageStatus.notReady(reason);
        LOG.warnf("SAM2 engine not ready: %s", reason);
    }

    /** A stream's session while the graphs cannot be loaded: frames pass with no objects, prompts get the reason. */
    private record Unavailable(String reason) implements EngineSession {
        @Override
        public EngineResult step(io.visionfleet.frameprocessor.engine.EngineInput input) {
            return new EngineResult(List.of(), List.of(),
                    input.commands().stream().map(c -> CommandOutcome.rejected("SAM2 is not ready: " + reason)).toList());
        }

        @Override
        public void close() {
        }
    }
}
