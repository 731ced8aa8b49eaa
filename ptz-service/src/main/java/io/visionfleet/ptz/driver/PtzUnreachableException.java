package io.visionfleet.ptz.driver;

/** The camera did not answer (connection refused, timed out): it may come back elsewhere, so drivers look it up again. */
public class PtzUnreachableException extends PtzException {
    public PtzUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
