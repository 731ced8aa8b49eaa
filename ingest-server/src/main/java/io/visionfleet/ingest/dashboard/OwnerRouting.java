package io.visionfleet.ingest.dashboard;

import io.netty.handler.codec.http.QueryStringDecoder;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the dashboard's proxy sends a call: a per-stream call ({@code /streams/{id}} and below, e.g. frame-processor's
 * prompts and overlay) to the replica that owns that stream ({@link ReplicaDirectory}); anything else, and a stream no
 * replica is known to own, to the service's configured URL, as with one replica.
 */
@ApplicationScoped
public class OwnerRouting {
    private static final Pattern PER_STREAM = Pattern.compile("^/streams/([^/]+)(?:/.*)?$");

    private final ReplicaDirectory directory;

    public OwnerRouting(ReplicaDirectory directory) {
        this.directory = directory;
    }

    /** The upstream for {@code target} (the path after {@code /api/{service}}): the owner's where one is known. */
    public Upstreams.Upstream route(Upstreams.Upstream upstream, String target) {
        Matcher m = PER_STREAM.matcher(target);
        if (!m.matches()) {
            return upstream;
        }
        String stream = QueryStringDecoder.decodeComponent(m.group(1));
        return directory.owner(upstream.name(), stream)
                .map(base -> new Upstreams.Upstream(upstream.name(), upstream.service(), base))
                .orElse(upstream);
    }
}
