package io.visionfleet.ingest.dashboard;

import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The services behind {@code /api/{service}/**}, by the name the page uses. */
@ApplicationScoped
public class Upstreams {
    /** A service the dashboard proxies to. */
    public record Upstream(String name, String service, URI base) {
        /** {@code host:port} of the base URL, with the scheme's default port when it names none. */
        public int port() {
            return base.getPort() > 0 ? base.getPort() : "https".equals(base.getScheme()) ? 443 : 80;
        }

        public boolean tls() {
            return "https".equals(base.getScheme());
        }

        /** The base URL's path without a trailing slash, prefixed to every proxied path. */
        public String basePath() {
            String path = base.getRawPath() == null ? "" : base.getRawPath();
            return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        }
    }

    private final Map<String, Upstream> byName = new LinkedHashMap<>();

    public Upstreams(DashboardConfig config) {
        add("processor", "frame-processor", config.processorUrl(), 8081, config.portOffset());
        add("slam", "slam-service", config.slamUrl(), 8082, config.portOffset());
        add("storage", "storage-service", config.storageUrl(), 8083, config.portOffset());
        add("ptz", "ptz-service", config.ptzUrl(), 8084, config.portOffset());
    }

    private void add(String name, String service, Optional<URI> url, int defaultPort, int offset) {
        URI base = url.orElse(URI.create("http://localhost:" + (defaultPort + offset)));
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme()) || base.getHost() == null) {
            throw new IllegalArgumentException("fleet.dashboard." + name + "-url must be an http(s) URL with a host, got " + base);
        }
        byName.put(name, new Upstream(name, service, base));
    }

    public Optional<Upstream> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Map<String, Upstream> all() {
        return Map.copyOf(byName);
    }
}
