package io.visionfleet.ptz.api;

import io.visionfleet.common.api.Access;
import io.visionfleet.common.api.AccessRole;
import io.visionfleet.ptz.control.ActuationCalibrator;
import io.visionfleet.ptz.control.CameraController;
import io.visionfleet.ptz.control.DelayCalibration;
import io.visionfleet.ptz.control.FollowBy;
import io.visionfleet.ptz.control.Mode;
import io.visionfleet.ptz.control.Policy;
import io.visionfleet.ptz.driver.PtzDriver;
import io.visionfleet.ptz.driver.PtzStatus;
import io.visionfleet.ptz.service.PtzCameras;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/**
 * The PTZ API (docs/ptz.md): camera list and status, moves, modes, presets and calibration. The fleet token guards
 * every request but reads ({@link io.visionfleet.common.api.ApiGuard}, docs/security.md).
 */
@Path("/ptz")
@Produces(MediaType.APPLICATION_JSON)
public class PtzResource {
    private static final int MAX_LABELS = 32;
    private static final int MAX_LABEL = 64;

    private final PtzCameras cameras;

    public PtzResource(PtzCameras cameras) {
        this.cameras = cameras;
    }

    @Access(AccessRole.VIEWER)
    @GET
    public List<CameraController.Status> list() {
        return cameras.all().stream().map(CameraController::status).toList();
    }

    @Access(AccessRole.VIEWER)
    @GET
    @Path("/{camera}/status")
    public CameraController.Status status(@PathParam("camera") String camera) {
        return controller(camera).status();
    }

    @Access(AccessRole.OPERATOR)
    @POST
    @Path("/{camera}/move")
    public CameraController.Status move(@PathParam("camera") String camera, MoveRequest move) {
        CameraController c = controller(camera);
        if (move == null) {
            throw new IllegalArgumentException("a move needs a JSON body: speeds, an absolute position, or {\"stop\":true}");
        }
        PtzDriver d = c.driver();
        if (move.isStop()) {
            c.manual(d::stop, "stop", null, null, null);
        } else if (move.isRelative() && !move.isAbsolute()) {
            double pan = speed(move.panSpeed(), "pan_speed");
            double tilt = speed(move.tiltSpeed(), "tilt_speed");
            double zoom = speed(move.zoomSpeed(), "zoom_speed");
            long duration = move.durationMs() == null ? MoveRequest.DEFAULT_DURATION_MS : move.durationMs();
            if (duration < 1 || duration > MoveRequest.MAX_DURATION_MS) {
                throw new IllegalArgumentException("duration_ms must be in 1.." + MoveRequest.MAX_DURATION_MS + ", got " + duration);
            }
            c.manual(() -> d.moveFor(pan, tilt, zoom, duration), "move_relative", pan, tilt, zoom);
        } else if (move.isAbsolute() && !move.isRelative()) {
            PtzStatus now = d.status();
            double pan = finite(move.panDeg() == null ? now.panDeg() : move.panDeg(), "pan_deg");
            double tilt = finite(move.tiltDeg() == null ? now.tiltDeg() : move.tiltDeg(), "tilt_deg");
            double zoom = finite(move.zoom() == null ? now.zoom() : move.zoom(), "zoom");
            c.manual(() -> d.moveTo(pan, tilt, zoom), "move_to", null, null, null);
        } else {
            throw new IllegalArgumentException("give either speeds (pan_speed, tilt_speed, zoom_speed) or a position "
                    + "(pan_deg, tilt_deg, zoom), or {\"stop\":true}");
        }
        return c.status();
    }

    @Access(AccessRole.OPERATOR)
    @PUT
    @Path("/{camera}/mode")
    public CameraController.Status mode(@PathParam("camera") String camera, ModeRequest request) {
        CameraController c = controller(camera);
        if (request == null) {
            throw new IllegalArgumentException("a mode change needs a JSON body: mode, policy, follow_by, target_id, labels");
        }
        c.configure(request.mode() == null ? null : Mode.parse(request.mode()),
                request.policy() == null ? null : Policy.parse(request.policy()),
                request.followBy() == null ? null : FollowBy.parse(request.followBy()),
                request.targetId(), labels(request.labels()));
        return c.status();
    }

    /** Goes to preset {@code n}; {@code PUT} stores the current position as preset {@code n}. */
    @Access(AccessRole.OPERATOR)
    @POST
    @Path("/{camera}/presets/{n}")
    public CameraController.Status goPreset(@PathParam("camera") String camera, @PathParam("n") int n) {
        CameraController c = controller(camera);
        c.manual(() -> c.driver().goPreset(n), "go_preset", null, null, null);
        return c.status();
    }

    @Access(AccessRole.OPERATOR)
    @PUT
    @Path("/{camera}/presets/{n}")
    public Response setPreset(@PathParam("camera") String camera, @PathParam("n") int n) {
        controller(camera).driver().setPreset(n);
        return Response.noContent().build();
    }

    /**
     * Times moves of several distances to fit the camera's actuation delay (a few seconds; automatic control holds off
     * meanwhile). Answers the fit.
     */
    @Access(AccessRole.OPERATOR)
    @POST
    @Path("/{camera}/calibrate")
    public DelayCalibration.Fit calibrate(@PathParam("camera") String camera) {
        CameraController c = controller(camera);
        ActuationCalibrator calibrator = new ActuationCalibrator(System::currentTimeMillis, PtzResource::sleep);
        DelayCalibration.Fit[] fit = new DelayCalibration.Fit[1];
        c.manual(() -> fit[0] = calibrator.calibrate(c.driver(), c.calibration()), "calibrate", null, null, null);
        return fit[0];
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms); // pacing the status polls of a real camera, not synchronising a test
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("calibration interrupted", e);
        }
    }

    private CameraController controller(String camera) {
        return cameras.camera(camera).orElseThrow(() ->
                new NotFoundException("no PTZ camera '" + camera + "'"));
    }

    private static double speed(Double v, String name) {
        if (v == null) {
            return 0;
        }
        if (!(v >= -1 && v <= 1)) {
            throw new IllegalArgumentException(name + " must be in [-1, 1], got " + v);
        }
        return v;
    }

    /** Labels end up in every status answer and camera state message: a few short names. */
    private static List<String> labels(List<String> labels) {
        if (labels != null && (labels.size() > MAX_LABELS
                || labels.stream().anyMatch(l -> l == null || l.isBlank() || l.length() > MAX_LABEL))) {
            throw new IllegalArgumentException("labels must be at most " + MAX_LABELS + " names of 1 to " + MAX_LABEL + " characters");
        }
        return labels;
    }

    private static double finite(double v, String name) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be a finite number");
        }
        return v;
    }
}
