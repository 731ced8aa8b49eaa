package io.visionfleet.ingest.relay;

import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import io.visionfleet.common.stream.StreamIds;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * What a request URI names: {@code rtsp://host:port/{stream}} (the aggregate control URL, with or without a
 * trailing slash) or {@code rtsp://host:port/{stream}/trackID=0} (the track).
 *
 * @param base the stream's URL with a trailing slash, the {@code Content-Base} that track URLs resolve against
 */
record RequestTarget(String streamId, boolean track, String base) {

    /**
     * @param defaultAuthority host and port used when the request URI is only a path
     * @throws RtspException 400 for a URI that does not parse, 404 for a path that names no stream or track
     */
    static RequestTarget parse(String requestUri, String defaultAuthority) {
        URI uri;
        try {
            uri = new URI(requestUri);
        } catch (URISyntaxException e) {
            throw new RtspException(RtspResponseStatuses.BAD_REQUEST, "request URI does not parse");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String[] segments = path.replaceAll("^/+|/+$", "").split("/");
        boolean track = segments.length == 2 && segments[1].equals(SessionDescription.TRACK_CONTROL);
        if (segments.length > 2 || segments.length == 2 && !track || !StreamIds.isValid(segments[0])) {
            throw new RtspException(RtspResponseStatuses.NOT_FOUND, "no stream at this URL; use rtsp://host:port/{stream}");
        }
        // never the user info some clients put into request URIs: Content-Base is echoed, and logged by clients
        String authority = uri.getHost() == null ? defaultAuthority
                : (uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()));
        return new RequestTarget(segments[0], track, "rtsp://" + authority + "/" + segments[0] + "/");
    }
}
