package io.visionfleet.ingest.relay;

/**
 * Decides, access unit by access unit, whether a reader gets it. A reader starts at an IDR; when its queue is
 * full it loses the whole access unit and everything up to the next IDR, because a decoder cannot use a picture
 * whose references it never got. Access units are never split, so a reader never sees half a picture.
 */
public final class ReaderGate {
    public enum State {
        /** Joined, waiting for its first IDR. Access units skipped here are not drops: the reader had none yet. */
        STARTING,
        PLAYING,
        /** Lost an access unit to back-pressure; waits for the next IDR. */
        RESYNCING
    }

    private State state = State.STARTING;
    private long dropped;

    /** True when the reader gets this access unit; {@code writable} tells whether its queue has room. */
    public boolean admit(boolean idr, boolean writable) {
        switch (state) {
            case STARTING -> {
                if (idr && writable) {
                    state = State.PLAYING;
                    return true;
                }
                return false;
            }
            case PLAYING -> {
                if (writable) {
                    return true;
                }
                state = State.RESYNCING;
                dropped++;
                return false;
            }
            default -> {
                if (idr && writable) {
                    state = State.PLAYING;
                    return true;
                }
                dropped++;
                return false;
            }
        }
    }

    public State state() {
        return state;
    }

    /** Access units lost after the reader's first picture. */
    public long dropped() {
        return dropped;
    }
}
