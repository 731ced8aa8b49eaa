package io.visionfleet.ptz.driver;

/** A camera refused or failed a command; the message says why in terms an operator can act on. */
public class PtzException extends RuntimeException {
    public PtzException(String message) {
        super(message);
    }

    public PtzException(String message, Throwable cause) {
        super(message, cause);
    }
}
