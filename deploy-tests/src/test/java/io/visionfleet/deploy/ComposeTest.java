package io.visionfleet.deploy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * docker-compose.yml without a Docker engine: Debian's docker-compose (v1) resolves and validates the file and its
 * CPU override, and the resolved model is checked for what running the fleet depends on.
 */
@Tag("integration")
class ComposeTest {
    private static final String INSTALL = "install Debian's docker-compose package (apt-get install docker-compose)";
    private static final Set<String> SCALED = Set.of("frame-processor", "slam-service");

    /** The fleet token compose is given here, as an operator gives it in {@code .env} or the environment. */
    private static final String TOKEN = "compose-test-token";
    /** The secrets compose refuses to start without, as an operator sets them. */
    private static final Map<String, String> SECRETS = Map.of("FLEET_API_TOKEN", TOKEN, "FLEET_API_VIEWER_TOKEN", "viewer-secret",
            "FLEET_VIDEO_PUBLISH_PASSWORD", "publish-secret", "FLEET_VIDEO_READ_PASSWORD", "read-secret",
            "RABBITMQ_ERLANG_COOKIE", "cookie-secret", "RABBITMQ_PASSWORD", "broker-secret");

    private static Map<String, Object> config(String... files) {
        return new Yaml().load(CommandLine.run(Duration.ofSeconds(60), SECRETS, command(files)));
    }

    private static String[] command(String... files) {
        String compose = CommandLine.require(INSTALL, "docker-compose");
        List<String> command = new java.util.ArrayList<>(List.of(compose));
        for (String f : files) {
            command.addAll(List.of("-f", f));
        }
        command.add("config");
        return command.toArray(String[]::new);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String... keys) {
        Object v = o;
        for (String k : keys) {
            v = v == null ? null : ((Map<String, Object>) v).get(k);
        }
        return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o, String key) {
        return (List<Object>) ((Map<String, Object>) o).get(key);
    }

    private static final Map<String, Object> fleet = config("docker-compose.yml");
    private static final Map<String, Object> services = map(fleet, "services");

    @Test
    void everyServiceGetsTheFleetAndViewerTokensAndComposeRefusesToRunWithoutTheFleetToken() {
        for (String module : Repo.applications()) {
            if (!module.equals("drone-sim")) {
                assertThat(map(services, module, "environment")).as(module).containsEntry("FLEET_API_TOKEN", TOKEN)
                        .containsEntry("FLEET_API_VIEWER_TOKEN", "viewer-secret");
            }
        }
        assertThat(map(services, "ingest-server", "environment")).doesNotContainKeys("PTZ_API_TOKEN", "FLEET_DASHBOARD_API_TOKEN");
        assertRefusedWithout("FLEET_API_TOKEN");
    }

    /** Compose stops with the variable's name when a secret is missing: no service runs on a shipped default. */
    private static void assertRefusedWithout(String variable) {
        Map<String, String> env = new java.util.HashMap<>(SECRETS);
        env.put(variable, "");
        assertThatThrownBy(() -> CommandLine.run(Duration.ofSeconds(60), env, command("docker-compose.yml")))
                .hasMessageContaining(variable);
    }

    @Test
    void everyApplicationRunsAsAServiceBuiltFromItsDockerfile() {
        assertThat(services).containsKeys("rabbitmq", "rabbitmq-definitions");
        for (String module : Repo.applications()) {
            Map<String, Object> build = map(services, module, "build");
            String dockerfile = module.equals("frame-processor") ? "deploy/frame-processor/Dockerfile.gpu" : "deploy/" + module + "/Dockerfile";
            assertThat(build).as(module).containsEntry("context", Repo.ROOT.toString()).containsEntry("dockerfile", dockerfile);
        }
    }

    @Test
    void theBrokerHasTheManagementUiAndItsDefinitionsAreLoadedBeforeAnyServiceStarts() {
        Map<String, Object> rabbit = map(services, "rabbitmq");
        assertThat(rabbit).as("the public image unless RABBITMQ_IMAGE names another")
                .containsEntry("image", "rabbitmq:3-management").containsKey("healthcheck");
        assertThat(Repo.read("docker-compose.yml")).contains("image: ${RABBITMQ_IMAGE:-rabbitmq:3-management}");
        assertThat(list(rabbit, "ports")).contains(Map.of("published", 15672, "target", 15672), Map.of("published", 5672, "target", 5672));

        Map<String, Object> definitions = map(services, "rabbitmq-definitions");
        assertThat(list(definitions, "entrypoint")).startsWith("rabbitmqadmin").contains("import", "/etc/vision-fleet/definitions.json");
        assertThat(list(definitions, "volumes")).singleElement().asString()
                .isEqualTo(Repo.path("deploy/rabbitmq/definitions.json") + ":/etc/vision-fleet/definitions.json:ro");
        assertThat(map(definitions, "depends_on", "rabbitmq")).containsEntry("condition", "service_healthy");
        for (String module : Repo.applications()) {
            if (!module.equals("drone-sim")) {
                assertThat(map(services, module, "depends_on", "rabbitmq-definitions")).as(module)
                        .containsEntry("condition", "service_completed_successfully");
            }
        }
    }

    @Test
    void servicesAreConfiguredByEnvironmentForTheBrokerTheRelayAndStreamOwnership() {
        assertThat(map(services, "ingest-server", "environment")).containsEntry("FLEET_RABBITMQ_HOST", "rabbitmq")
                .containsEntry("FLEET_RABBITMQ_USERNAME", "fleet").containsEntry("FLEET_RABBITMQ_PASSWORD", "broker-secret");
        assertThat(map(services, "rabbitmq", "environment")).containsEntry("RABBITMQ_DEFAULT_PASS", "broker-secret");
        assertRefusedWithout("RABBITMQ_PASSWORD"); // no default password: ./fleet compose makes one
        assertThat(list(map(services, "ingest-server"), "ports"))
                .contains(Map.of("published", 8080, "target", 8080), Map.of("published", 8554, "target", 8554));
        for (String module : Repo.consumers()) {
            assertThat(map(services, module, "environment")).as(module)
                    .containsEntry("FLEET_RABBITMQ_HOST", "rabbitmq")
                    .containsEntry("FLEET_CONSUMER_RELAY_URL", "rtsp://ingest-server:8554/")
                    .containsEntry("FLEET_CONSUMER_OWNERSHIP_ENABLED", "true");
            assertThat(list(map(services, module), "ports")).as(module)
                    .anySatisfy(p -> assertThat(map(p)).containsEntry("target", Repo.httpPort(module)));
            assertThat(map(services, module, "depends_on", "ingest-server")).containsEntry("condition", "service_healthy");
        }
        assertThat(map(services, "frame-processor", "environment")).containsKey("FLEET_CONSUMER_OWNERSHIP_MAX_STREAMS");
    }

    @Test
    void videoUsersAreSetForTheRelayItsReadersAndItsPublishers() {
        Map<String, Object> ingest = map(services, "ingest-server", "environment");
        assertThat(ingest).containsEntry("FLEET_VIDEO_AUTH_CREDENTIALS_PUBLISHER_USER", "publisher")
                .containsEntry("FLEET_VIDEO_AUTH_CREDENTIALS_PUBLISHER_ACTIONS", "publish")
                .containsEntry("FLEET_VIDEO_AUTH_CREDENTIALS_READER_USER", "reader")
                .containsEntry("FLEET_VIDEO_AUTH_CREDENTIALS_READER_ACTIONS", "read");
        for (String module : Repo.consumers()) {
            assertThat(map(services, module, "environment")).as(module).containsEntry("FLEET_CONSUMER_RELAY_USER", "reader")
                    .containsEntry("FLEET_CONSUMER_RELAY_PASSWORD", ingest.get("FLEET_VIDEO_AUTH_CREDENTIALS_READER_PASSWORD"));
        }
        for (String publisher : List.of("drone-sim", "ptz-service")) {
            assertThat(map(services, publisher, "environment")).as(publisher).containsEntry("FLEET_PUBLISH_USER", "publisher")
                    .containsEntry("FLEET_PUBLISH_PASSWORD", ingest.get("FLEET_VIDEO_AUTH_CREDENTIALS_PUBLISHER_PASSWORD"));
        }
        assertThat(ingest).containsEntry("FLEET_VIDEO_AUTH_CREDENTIALS_PUBLISHER_PASSWORD", "publish-secret")
                .containsEntry("FLEET_VIDEO_AUTH_CREDENTIALS_READER_PASSWORD", "read-secret");
        assertRefusedWithout("FLEET_VIDEO_PUBLISH_PASSWORD");
        assertRefusedWithout("FLEET_VIDEO_READ_PASSWORD");
    }

    @Test
    void everyServiceWaitedForAsHealthyHasAHealthCheck() {
        services.forEach((name, service) -> {
            Map<String, Object> dependsOn = map(service, "depends_on");
            if (dependsOn == null) {
                return;
            }
            dependsOn.forEach((target, condition) -> {
                if ("service_healthy".equals(map(condition).get("condition"))) {
                    Map<String, Object> t = map(services, target);
                    boolean inImage = t.containsKey("build") && Dockerfile.parse(Repo.read(map(t, "build").get("dockerfile").toString()))
                            .runtime().all("HEALTHCHECK").stream().anyMatch(h -> !h.equals("NONE"));
                    assertThat(t.containsKey("healthcheck") || inImage).as("%s waits for %s to be healthy", name, target).isTrue();
                }
            });
        });
    }

    @Test
    void frameProcessorReservesAnNvidiaGpuAndTheModelVolume() {
        Map<String, Object> gpu = map(services, "frame-processor");
        assertThat(list(map(gpu, "deploy", "resources", "reservations"), "devices"))
                .containsExactly(Map.of("driver", "nvidia", "count", 1, "capabilities", List.of("gpu")));
        assertThat(list(gpu, "volumes")).contains("models:/models:ro");
        assertThat(list(map(services, "storage-service"), "volumes")).contains("recordings:/data:rw");
        assertThat(map(fleet, "volumes")).containsKeys("recordings", "models");
    }

    @Test
    void scaledServicesLeaveHostPortsAndNamesToCompose() {
        for (String name : SCALED) {
            Map<String, Object> s = map(services, name);
            assertThat(s).as(name).doesNotContainKey("container_name");
            assertThat(list(s, "ports")).as("%s publishes no fixed host port, so --scale %s=2 works", name, name)
                    .allSatisfy(p -> assertThat(map(p)).doesNotContainKey("published"));
        }
    }

    @Test
    void theDemoProfileAddsTheDroneSimulatorOnly() {
        assertThat(list(map(services, "drone-sim"), "profiles")).containsExactly("demo");
        assertThat(list(map(services, "drone-sim"), "command")).containsSubsequence("--server", "ws://ingest-server:8080");
        services.forEach((name, s) -> {
            if (!List.of("drone-sim", "rabbitmq-2", "rabbitmq-3").contains(name)) {
                assertThat(map(s)).as(name).doesNotContainKey("profiles");
            }
        });
    }

    @Test
    void theBrokerClusterProfileAddsTwoNodesThatJoinTheFirstWithOneCookie() {
        String conf = Repo.path("deploy/rabbitmq/compose-cluster.conf") + ":/etc/rabbitmq/conf.d/20-cluster.conf:ro";
        for (String node : List.of("rabbitmq", "rabbitmq-2", "rabbitmq-3")) {
            Map<String, Object> service = map(services, node);
            assertThat(service).as(node).containsEntry("hostname", node).containsKey("healthcheck");
            assertThat(map(service, "environment")).as(node).containsEntry("RABBITMQ_NODENAME", "rabbit@" + node)
                    .containsEntry("RABBITMQ_ERLANG_COOKIE", "cookie-secret");
            assertThat(list(service, "volumes")).as(node).contains(conf);
            assertThat(Repo.read("deploy/rabbitmq/compose-cluster.conf")).contains("= rabbit@" + node);
            if (!node.equals("rabbitmq")) {
                assertThat(list(service, "profiles")).as(node).containsExactly("broker-cluster");
                assertThat(service).as("%s publishes no host port", node).doesNotContainKey("ports");
                assertThat(map(service, "depends_on", "rabbitmq-definitions"))
                        .containsEntry("condition", "service_completed_successfully");
                assertThat(list(service, "entrypoint")).containsExactly("sh", "/etc/vision-fleet/join-cluster.sh");
            }
        }
        assertThat(Repo.read("deploy/rabbitmq/compose-cluster.conf")).contains("classic_config")
                .contains("cluster_partition_handling = pause_minority");
        assertRefusedWithout("RABBITMQ_ERLANG_COOKIE");
    }

    @Test
    void everyServiceTakesTheBrokerAddressesFromOneSetting() {
        Map<String, String> cluster = new java.util.HashMap<>(SECRETS);
        cluster.put("FLEET_RABBITMQ_ADDRESSES", "rabbitmq:5672,rabbitmq-2:5672,rabbitmq-3:5672");
        Map<String, Object> clustered = map(new Yaml().load(CommandLine.run(Duration.ofSeconds(60), cluster,
                command("docker-compose.yml"))), "services");
        for (String module : Repo.applications()) {
            if (!module.equals("drone-sim")) {
                assertThat(map(services, module, "environment")).as(module)
                        .containsEntry("FLEET_RABBITMQ_ADDRESSES", "rabbitmq:5672");
                assertThat(map(clustered, module, "environment")).as(module)
                        .containsEntry("FLEET_RABBITMQ_ADDRESSES", "rabbitmq:5672,rabbitmq-2:5672,rabbitmq-3:5672");
            }
        }
    }

    @Test
    void theCpuOverrideRunsTheCpuBuildInsteadOfTheGpuOne() {
        Map<String, Object> cpuFleet = map(config("docker-compose.yml", "docker-compose.cpu.yml"), "services");
        assertThat(map(cpuFleet, "frame-processor", "deploy")).containsEntry("replicas", 0);
        Map<String, Object> cpu = map(cpuFleet, "frame-processor-cpu");
        assertThat(map(cpu, "deploy")).containsEntry("replicas", 1).doesNotContainKey("resources");
        assertThat(map(cpu, "build")).containsEntry("dockerfile", "deploy/frame-processor/Dockerfile");
        assertThat(map(cpu, "environment")).isEqualTo(map(cpuFleet, "frame-processor", "environment"));
        assertThat(map(services, "frame-processor-cpu", "deploy")).as("idle without the override").containsEntry("replicas", 0);
        assertThat(map(cpu, "networks", "default")).as("the dashboard's proxy finds the CPU replicas by the GPU service's name")
                .containsEntry("aliases", List.of("frame-processor"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }
}
