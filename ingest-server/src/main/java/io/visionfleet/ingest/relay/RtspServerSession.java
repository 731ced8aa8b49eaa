package io.visionfleet.ingest.relay;

import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import io.visionfleet.common.h264.VideoCodec;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The RTSP session of one connection, as a state machine: INIT --SETUP--> READY --PLAY--> PLAYING, back to INIT on
 * TEARDOWN. It checks that a request fits the state (455 otherwise) and names this session (454 otherwise), and
 * remembers what SETUP chose: stream, codec and transport. Confined to the connection's event loop, except
 * {@link #playing()}.
 */
final class RtspServerSession {
    private static final SecureRandom IDS = new SecureRandom();

    enum State { INIT, READY, PLAYING }

    /** Read by the server's accept path on other threads, to choose a connection to close when full. */
    private volatile State state = State.INIT;
    private String id;
    private String streamId;
    /** The codec the set-up session expects. */
    private VideoCodec codec;
    private InterleavedTransport transport;
    /** The stream and codec the last DESCRIBE answered for: PLAY starts only if the stream still carries it. */
    private String describedStream;
    private VideoCodec describedCodec;

    State state() {
        return state;
    }

    boolean playing() {
        return state == State.PLAYING;
    }

    /** The session id, null before the first SETUP and after TEARDOWN. */
    String id() {
        return id;
    }

    String streamId() {
        return streamId;
    }

    VideoCodec codec() {
        return codec;
    }

    InterleavedTransport transport() {
        return transport;
    }

    void described(String stream, VideoCodec carried) {
        describedStream = stream;
        describedCodec = carried;
    }

    /** Whether a SETUP naming {@code sessionHeader} (null when it named none) may go ahead. */
    void checkSetup(String sessionHeader) {
        if (state == State.PLAYING) {
            throw new RtspException(RtspResponseStatuses.METHOD_NOT_VALID, "SETUP while playing; TEARDOWN first");
        }
        checkNames(sessionHeader, false);
    }

    /**
     * Enters READY on {@code stream}, which carries {@code carried} now, with a new session id unless the session has
     * one (a client may SETUP again before PLAY).
     */
    void setUp(String stream, VideoCodec carried, InterleavedTransport chosen) {
        if (id == null) {
            id = HexFormat.of().toHexDigits(IDS.nextLong());
        }
        streamId = stream;
        // a session that did not describe the stream takes the codec it carries now
        codec = stream.equals(describedStream) ? describedCodec : carried;
        transport = chosen;
        state = State.READY;
    }

    /** The {@code Session} header of the SETUP response. */
    String setupHeader(int timeoutSeconds) {
        return id + ";timeout=" + timeoutSeconds;
    }

    void checkPlay(String sessionHeader) {
        if (state == State.INIT) {
            throw new RtspException(RtspResponseStatuses.METHOD_NOT_VALID, "PLAY before SETUP");
        }
        checkNames(sessionHeader, true);
    }

    void started() {
        state = State.PLAYING;
    }

    /** Back to INIT: a later SETUP starts a new session. */
    void tearDown() {
        state = State.INIT;
        id = null;
        streamId = null;
        transport = null;
    }

    /**
     * A request naming a session (its {@code Session} header, null when none) must name this one;
     * {@code required}: it must name one.
     */
    void checkNames(String sessionHeader, boolean required) {
        if (sessionHeader == null) {
            if (required) {
                throw new RtspException(RtspResponseStatuses.SESSION_NOT_FOUND, "Session header missing");
            }
            return;
        }
        String named = sessionHeader.split(";", 2)[0].trim();
        if (!named.equals(id)) {
            throw new RtspException(RtspResponseStatuses.SESSION_NOT_FOUND, "no such session on this connection");
        }
    }

    /** The {@code Session} header answering a request that named one, null when none is due. */
    String echo(String sessionHeader) {
        return id != null && sessionHeader != null ? id : null;
    }
}
