package io.visionfleet.ptz.driver;

/** The camera rejected the credentials, or the driver holds off after a rejection so the camera's login lock never trips. */
public class PtzAuthException extends PtzException {
    public PtzAuthException(String message) {
        super(message);
    }
}
