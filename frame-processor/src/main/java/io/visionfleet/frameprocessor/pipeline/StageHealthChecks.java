package io.visionfleet.frameprocessor.pipeline;

import io.visionfleet.frameprocessor.engine.EngineChoice;
import io.visionfleet.frameprocessor.stage.StageStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the configured stages. A stage that cannot work (the YOLO model file is missing) is DOWN with the
 * reason, which makes the service report not ready; the other stages keep processing (frames go through without
 * detections), so results keep flowing while an operator fixes the configuration. The engine check also says which
 * engine runs new streams ({@code running}) and why ({@code why}): with {@code engine=auto} and no SAM2 graphs it is
 * UP on the motion engine, with SAM2's reason.
 */
@ApplicationScoped
public class StageHealthChecks {
    @Produces
    @Readiness
    HealthCheck engine(PipelineStages stages) {
        return () -> {
            EngineChoice choice = stages.engine().choose();
            StageStatus status = choice.engine().status();
            return HealthCheckResponse.named("engine").status(status.ready())
                    .withData("engine", stages.engine().name())
                    .withData("running", choice.name())
                    .withData("why", choice.reason())
                    .withData(status.ready() ? "detail" : "reason", status.detail())
                    .withData("prompt_strategy", stages.strategy().name())
                    .withData("initial_mode", stages.initialMode().id())
                    .build();
        };
    }

    @Produces
    @Readiness
    HealthCheck detector(PipelineStages stages) {
        return () -> stages.detector()
                .map(d -> {
                    StageStatus status = d.status();
                    return HealthCheckResponse.named("detector").status(status.ready())
                            .withData("detector", d.name())
                            .withData(status.ready() ? "detail" : "reason", status.detail())
                            .build();
                })
                .orElseGet(() -> HealthCheckResponse.named("detector").up()
                        .withData("detector", PipelineStages.NO_DETECTOR).build());
    }
}
