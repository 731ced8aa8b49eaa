package io.visionfleet.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository these tests check, read from its files (the tests run in deploy-tests/). */
final class Repo {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

    private Repo() {
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every application module of the root pom, in build order: the services and drone-sim. A module Quarkus packages
     * only for tests, with {@code <fleet.deployed>false</fleet.deployed>} in its pom (fault-tests/bus-probe), is not one.
     */
    static List<String> applications() {
        Matcher m = MODULE.matcher(read("pom.xml"));
        List<String> modules = new java.util.ArrayList<>();
        while (m.find()) {
            // an application is what Quarkus packages; libraries, benchmarks and tests are not
            String pom = read(m.group(1) + "/pom.xml");
            if (pom.contains("<artifactId>quarkus-maven-plugin</artifactId>")
                    && !pom.contains("<fleet.deployed>false</fleet.deployed>")) {
                modules.add(m.group(1));
            }
        }
        return modules;
    }

    /** The consuming services: applications with an RTSP consumer (all but ingest-server and drone-sim). */
    static List<String> consumers() {
        return applications().stream().filter(m -> !m.equals("ingest-server") && !m.equals("drone-sim")).toList();
    }

    /**
     * Whether a consuming service pulls streams from the relay with its default configuration (ptz-service, for one,
     * needs pictures only for cameras configured so: {@code fleet.consumer.enabled=false}).
     */
    static boolean pullsStreams(String module) {
        return !"false".equals(properties(module).getProperty("fleet.consumer.enabled"));
    }

    /** {@code quarkus.http.port} of a module's application.properties, or -1 when it serves no HTTP. */
    static int httpPort(String module) {
        Properties p = properties(module);
        if ("false".equals(p.getProperty("quarkus.http.host-enabled"))) {
            return -1;
        }
        return Integer.parseInt(p.getProperty("quarkus.http.port", "8080"));
    }

    private static Properties properties(String module) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(path(module + "/src/main/resources/application.properties"))) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** The packaged application of a module, which the process tests run. */
    static Path runJar(String module) {
        Path jar = path(module + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the fleet first (./mvnw package -DskipTests, or run "
                    + "the whole build, where deploy-tests comes last)");
        }
        return jar;
    }
}
