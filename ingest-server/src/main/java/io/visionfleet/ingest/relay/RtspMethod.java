package io.visionfleet.ingest.relay;

import io.netty.handler.codec.rtsp.RtspResponseStatuses;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** The RTSP methods the relay serves, in the order OPTIONS lists them. */
enum RtspMethod {
    OPTIONS, DESCRIBE, SETUP, PLAY, GET_PARAMETER, TEARDOWN;

    /** The {@code Public} header of OPTIONS and the {@code Allow} header of a 405. */
    static final String PUBLIC = Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    /** RFC 2326 methods a relay that only plays does not take: 405 rather than 501. */
    private static final Set<String> UNSERVED = Set.of("ANNOUNCE", "PAUSE", "RECORD", "REDIRECT", "SET_PARAMETER");

    /**
     * The served method named {@code name}, case-sensitive as RTSP methods are.
     *
     * @throws RtspException 405 for an RTSP method the relay does not serve, 501 for one RTSP does not define
     */
    static RtspMethod of(String name) {
        for (RtspMethod method : values()) {
            if (method.name().equals(name)) {
                return method;
            }
        }
        if (UNSERVED.contains(name)) {
            throw new RtspException(RtspResponseStatuses.METHOD_NOT_ALLOWED, name + " is not served by this relay");
        }
        throw new RtspException(RtspResponseStatuses.NOT_IMPLEMENTED, "unknown method " + name);
    }
}
