package io.visionfleet.slam.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.bytedeco.opencv.global.opencv_core;
import org.jboss.logging.Logger;

/** Applies {@code fleet.slam.opencv-threads} once at start, before any stream is tracked. */
@ApplicationScoped
public class OpenCvThreads {
    private static final Logger LOG = Logger.getLogger(OpenCvThreads.class);

    void onStart(@Observes StartupEvent event, SlamConfig config) {
        if (config.opencvThreads() > 0) {
            opencv_core.setNumThreads(config.opencvThreads());
        }
        LOG.debugf("OpenCV uses %d threads", opencv_core.getNumThreads());
    }
}
