package io.visionfleet.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.visionfleet.common.api.Placeholder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Kubernetes overlays, rendered by kustomize and parsed into the fabric8 model: what each object must carry
 * (probes, resources, credentials from Secrets, GPU scheduling) and that every reference resolves.
 */
@Tag("integration")
class KubernetesManifestsTest {
    private static final String GPU = "nvidia.com/gpu";
    private static final RenderedManifests CPU_OVERLAY = RenderedManifests.render("k8s/overlays/cpu");
    private static final RenderedManifests GPU_OVERLAY = RenderedManifests.render("k8s/overlays/gpu");

    private static Container container(Deployment d) {
        List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).as(d.getMetadata().getName()).hasSize(1);
        return containers.get(0);
    }

    private static PodSpec pod(Deployment d) {
        return d.getSpec().getTemplate().getSpec();
    }

    @Test
    void bothOverlaysHoldTheWholeFleetInItsNamespace() {
        for (RenderedManifests fleet : List.of(CPU_OVERLAY, GPU_OVERLAY)) {
            assertThat(fleet.get(Namespace.class, "vision-fleet")).isNotNull();
            assertThat(fleet.objects).filteredOn(o -> !(o instanceof Namespace))
                    .extracting(o -> o.getKind() + "/" + o.getMetadata().getName() + " in " + o.getMetadata().getNamespace())
                    .allSatisfy(o -> assertThat(o).endsWith(" in vision-fleet"));
            assertThat(fleet.all(Deployment.class)).extracting(d -> d.getMetadata().getName())
                    .containsExactlyInAnyOrderElementsOf(Repo.applications().stream().filter(m -> !m.equals("drone-sim")).toList());
        }
    }

    @Test
    void rabbitmqIsAStatefulSetWithManagementAPersistentVolumeAndTheFleetDefinitions() {
        StatefulSet rabbit = GPU_OVERLAY.get(StatefulSet.class, "rabbitmq");
        Container c = rabbit.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getImage()).isEqualTo("rabbitmq:3-management");
        assertThat(c.getPorts()).extracting(p -> p.getContainerPort()).contains(5672, 15672);
        assertThat(rabbit.getSpec().getVolumeClaimTemplates()).singleElement()
                .satisfies(pvc -> assertThat(c.getVolumeMounts()).anySatisfy(m -> assertThat(m.getName()).isEqualTo(pvc.getMetadata().getName())));
        assertThat(c.getLifecycle().getPostStart().getExec().getCommand()).last().asString()
                .contains("import_definitions /etc/vision-fleet/definitions.json")
                .contains("rabbitmq-queues -q grow \"$RABBITMQ_NODENAME\" all");
        ConfigMap definitions = GPU_OVERLAY.get(ConfigMap.class, "rabbitmq-definitions");
        assertThat(definitions.getData().get("definitions.json")).isEqualTo(Repo.read("deploy/rabbitmq/definitions.json"));
        assertThat(rabbit.getSpec().getTemplate().getSpec().getVolumes()).anySatisfy(v ->
                assertThat(v.getConfigMap().getName()).isEqualTo(definitions.getMetadata().getName()));
        assertThat(c.getEnv()).extracting(EnvVar::getName).contains("RABBITMQ_DEFAULT_USER", "RABBITMQ_DEFAULT_PASS");
        assertThat(GPU_OVERLAY.get(Service.class, "rabbitmq").getSpec().getPorts()).extracting(ServicePort::getPort).contains(5672, 15672);
    }

    /** Three nodes that find each other through the API (and may read no more of it than that) and share one cookie. */
    @Test
    void rabbitmqRunsAsAThreeNodeClusterFormedByKubernetesPeerDiscovery() {
        StatefulSet rabbit = GPU_OVERLAY.get(StatefulSet.class, "rabbitmq");
        assertThat(rabbit.getSpec().getReplicas()).isEqualTo(3);
        assertThat(rabbit.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        PodSpec pod = rabbit.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertThat(c.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("RABBITMQ_NODENAME");
            assertThat(e.getValue()).isEqualTo("rabbit@$(MY_POD_NAME).rabbitmq-headless.$(MY_POD_NAMESPACE).svc.cluster.local");
        });

        ConfigMap config = GPU_OVERLAY.get(ConfigMap.class, "rabbitmq-config");
        assertThat(config.getData().get("enabled_plugins"))
                .contains("rabbitmq_management", "rabbitmq_peer_discovery_k8s", "rabbitmq_consistent_hash_exchange");
        assertThat(config.getData().get("cluster.conf"))
                .contains("cluster_formation.peer_discovery_backend = rabbit_peer_discovery_k8s",
                        "cluster_formation.k8s.service_name = " + rabbit.getSpec().getServiceName(),
                        "cluster_formation.k8s.hostname_suffix = .rabbitmq-headless.vision-fleet.svc.cluster.local",
                        "cluster_partition_handling = pause_minority");
        assertThat(c.getVolumeMounts()).extracting(VolumeMount::getMountPath)
                .contains("/etc/rabbitmq/conf.d/20-vision-fleet.conf", "/etc/rabbitmq/enabled_plugins");

        Service headless = GPU_OVERLAY.get(Service.class, rabbit.getSpec().getServiceName());
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(headless.getSpec().getPorts()).extracting(ServicePort::getPort).contains(4369, 25672);

        String cookie = pod.getVolumes().stream().filter(v -> v.getSecret() != null).map(v -> v.getSecret().getSecretName())
                .findFirst().orElseThrow();
        assertThat(cookie).startsWith("rabbitmq-erlang-cookie");
        assertThat(GPU_OVERLAY.get(Secret.class, cookie).getData()).containsKey("cookie");
        assertThat(pod.getInitContainers()).singleElement().satisfies(init ->
                assertThat(String.join(" ", init.getCommand())).contains("install -m 600", "/var/lib/rabbitmq/.erlang.cookie"));

        assertThat(pod.getServiceAccountName()).isEqualTo("rabbitmq");
        Role role = GPU_OVERLAY.get(Role.class, "rabbitmq-peer-discovery");
        assertThat(role.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getResources()).containsExactly("endpoints");
            assertThat(rule.getVerbs()).containsExactly("get");
        });
        RoleBinding binding = GPU_OVERLAY.get(RoleBinding.class, "rabbitmq-peer-discovery");
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo("rabbitmq");
        });
        assertThat(GPU_OVERLAY.get(ServiceAccount.class, "rabbitmq")).isNotNull();
    }

    @Test
    void everyServiceIsProbedOnItsHealthEndpointsAndHasResources() {
        for (RenderedManifests fleet : List.of(CPU_OVERLAY, GPU_OVERLAY)) {
            for (Deployment d : fleet.all(Deployment.class)) {
                String name = d.getMetadata().getName();
                Container c = container(d);
                assertThat(c.getPorts()).as(name).anySatisfy(p -> {
                    assertThat(p.getName()).isEqualTo("http");
                    assertThat(p.getContainerPort()).isEqualTo(Repo.httpPort(name));
                });
                assertHttpProbe(c.getLivenessProbe(), "/q/health/live", name);
                assertHttpProbe(c.getReadinessProbe(), "/q/health/ready", name);
                assertThat(c.getResources().getRequests()).as(name).containsKeys("cpu", "memory");
                assertThat(c.getResources().getLimits()).as(name).containsKey("memory");
                assertThat(pod(d).getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
                assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(name).isTrue();
                assertThat(c.getVolumeMounts()).as("%s: /tmp holds the JavaCPP cache", name)
                        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
                Service service = fleet.get(Service.class, name);
                assertThat(service.getSpec().getSelector()).isEqualTo(d.getSpec().getSelector().getMatchLabels());
                assertThat(service.getSpec().getPorts()).anySatisfy(p -> assertThat(p.getPort()).isEqualTo(Repo.httpPort(name)));
            }
        }
    }

    private static void assertHttpProbe(Probe probe, String path, String service) {
        assertThat(probe).as("%s probe on %s", service, path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }

    @Test
    void servicesReadTheirConfigAndBrokerCredentialsFromConfigMapsAndSecretsThatExist() {
        ConfigMap config = GPU_OVERLAY.get(ConfigMap.class, "fleet-config");
        assertThat(config.getData()).containsEntry("FLEET_RABBITMQ_HOST", "rabbitmq")
                .containsEntry("FLEET_CONSUMER_RELAY_URL", "rtsp://ingest-server:8554/")
                .containsEntry("FLEET_CONSUMER_OWNERSHIP_ENABLED", "true");
        assertThat(GPU_OVERLAY.get(Service.class, "ingest-server").getSpec().getPorts()).extracting(ServicePort::getPort).contains(8554);
        for (String secret : List.of("rabbitmq-credentials", "isapi-credentials", "fleet-api-token", "video-credentials")) {
            assertThat(GPU_OVERLAY.get(Secret.class, secret).getData()).as(secret).isNotEmpty();
        }
        List<String> names = GPU_OVERLAY.objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
        for (Deployment d : GPU_OVERLAY.all(Deployment.class)) {
            Container c = container(d);
            assertThat(c.getEnvFrom()).singleElement().satisfies(e -> assertThat(names).contains("ConfigMap/" + e.getConfigMapRef().getName()));
            assertThat(c.getEnv()).filteredOn(e -> e.getName().startsWith("FLEET_RABBITMQ_")).extracting(EnvVar::getName)
                    .containsExactlyInAnyOrder("FLEET_RABBITMQ_USERNAME", "FLEET_RABBITMQ_PASSWORD");
            // every service requires the fleet token for control: from the one Secret, never a literal
            assertThat(c.getEnv()).as("%s", d.getMetadata().getName()).filteredOn(e -> e.getName().equals("FLEET_API_TOKEN"))
                    .singleElement().satisfies(e -> {
                        assertThat(e.getValue()).isNull();
                        assertThat(e.getValueFrom().getSecretKeyRef().getName()).startsWith("fleet-api-token-");
                        assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
                    });
            // and the viewer's token from the same Secret (optional: secrets made before it have none)
            assertThat(c.getEnv()).as("%s", d.getMetadata().getName()).filteredOn(e -> e.getName().equals("FLEET_API_VIEWER_TOKEN"))
                    .singleElement().satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("viewer-token"));
            c.getEnv().stream().filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null).forEach(e -> {
                Secret s = GPU_OVERLAY.all(Secret.class).stream()
                        .filter(x -> x.getMetadata().getName().equals(e.getValueFrom().getSecretKeyRef().getName())).findFirst()
                        .orElseThrow(() -> new AssertionError(d.getMetadata().getName() + " refers to a missing secret: " + e));
                assertThat(s.getData()).containsKey(e.getValueFrom().getSecretKeyRef().getKey());
            });
            for (Volume v : pod(d).getVolumes()) {
                if (v.getPersistentVolumeClaim() != null) {
                    assertThat(names).contains("PersistentVolumeClaim/" + v.getPersistentVolumeClaim().getClaimName());
                }
                if (v.getSecret() != null) {
                    assertThat(names).contains("Secret/" + v.getSecret().getSecretName());
                }
            }
        }
        assertThat(container(GPU_OVERLAY.deployment("ptz-service")).getVolumeMounts())
                .anySatisfy(m -> assertThat(m.getName()).isEqualTo("isapi-credentials"));
    }

    @Test
    void noSecretShipsWithTheManifestsOrTheComposeFiles() throws Exception {
        List<String> shipped = new ArrayList<>(List.of("docker-compose.yml", "docker-compose.cpu.yml"));
        shipped.addAll(List.of(CommandLine.run(Duration.ofSeconds(30), "git", "ls-files", "k8s").split("\n")));
        for (String file : shipped) {
            assertThat(Repo.read(file)).as(file).doesNotContainIgnoringCase(Placeholder.PREFIX);
        }
        // every Secret with a password, token or cookie comes from an env file that ./fleet k8s secrets makes
        String kustomization = Repo.read("k8s/base/kustomization.yaml");
        assertThat(kustomization.substring(kustomization.indexOf("secretGenerator:"))).doesNotContain("literals:");
        for (Secret secret : GPU_OVERLAY.all(Secret.class)) {
            secret.getData().forEach((key, value) -> assertThat(new String(Base64.getMimeDecoder().decode(value), UTF_8))
                    .as("%s %s", secret.getMetadata().getName(), key).doesNotStartWithIgnoringCase(Placeholder.PREFIX));
        }
    }

    @Test
    void fleetK8sSecretsMakesRandomSecretsOnceAndKeepsThem() throws Exception {
        Path dir = Files.createTempDirectory("k8s-secrets");
        String first = CommandLine.run(Duration.ofSeconds(30), "./fleet", "k8s", "secrets", dir.toString());
        assertThat(first).contains("made " + dir.resolve("fleet-api-token.env"));
        Map<String, String> made = new TreeMap<>();
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                assertThat(Files.getPosixFilePermissions(file)).as("readable by its owner only").containsOnly(
                        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
                Files.readAllLines(file).forEach(line -> made.put(file.getFileName() + " " + line.split("=", 2)[0], line.split("=", 2)[1]));
            }
        }
        assertThat(made.keySet()).containsExactly("fleet-api-token.env token", "fleet-api-token.env viewer-token",
                "rabbitmq-credentials.env password",
                "rabbitmq-credentials.env username", "rabbitmq-erlang-cookie.env cookie", "video-credentials.env publish-password",
                "video-credentials.env read-password");
        made.forEach((key, value) -> {
            if (!key.endsWith("username")) {
                assertThat(value).as(key).matches("[0-9a-f]{32,}");
            }
        });
        assertThat(made.values()).as("each secret its own").doesNotHaveDuplicates();
        String again = CommandLine.run(Duration.ofSeconds(30), "./fleet", "k8s", "secrets", dir.toString());
        assertThat(again).contains("kept " + dir.resolve("fleet-api-token.env")).doesNotContain("made");
        assertThat(Files.readString(dir.resolve("fleet-api-token.env"))).isEqualTo("token=" + made.get("fleet-api-token.env token")
                + "\nviewer-token=" + made.get("fleet-api-token.env viewer-token") + "\n");
    }

    @Test
    void theRelayItsReadersAndPublishersTakeTheVideoPasswordsFromOneSecret() {
        assertThat(GPU_OVERLAY.get(ConfigMap.class, "fleet-config").getData()).containsEntry("FLEET_CONSUMER_RELAY_USER", "reader");
        assertThat(GPU_OVERLAY.get(Secret.class, "video-credentials").getData()).containsKeys("publish-password", "read-password");
        Container ingest = container(GPU_OVERLAY.deployment("ingest-server"));
        assertSecretEnv(ingest, "FLEET_VIDEO_AUTH_CREDENTIALS_PUBLISHER_PASSWORD", "publish-password");
        assertSecretEnv(ingest, "FLEET_VIDEO_AUTH_CREDENTIALS_READER_PASSWORD", "read-password");
        for (String consumer : Repo.consumers()) {
            assertSecretEnv(container(GPU_OVERLAY.deployment(consumer)), "FLEET_CONSUMER_RELAY_PASSWORD", "read-password");
        }
        assertSecretEnv(container(GPU_OVERLAY.deployment("ptz-service")), "FLEET_PUBLISH_PASSWORD", "publish-password");
    }

    private static void assertSecretEnv(Container c, String name, String key) {
        assertThat(c.getEnv()).as(c.getName()).filteredOn(e -> e.getName().equals(name)).singleElement().satisfies(e -> {
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).startsWith("video-credentials");
            assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(key);
        });
    }

    @Test
    void ptzServiceReadsItsIsapiCamerasFromTheFileItsSecretMounts(@TempDir Path dir) throws Exception {
        Deployment ptz = GPU_OVERLAY.deployment("ptz-service");
        Container c = container(ptz);
        Path location = Path.of(c.getEnv().stream().filter(e -> e.getName().equals("QUARKUS_CONFIG_LOCATIONS"))
                .findFirst().orElseThrow().getValue());
        VolumeMount mount = c.getVolumeMounts().stream().filter(m -> location.startsWith(m.getMountPath())).findFirst()
                .orElseThrow(() -> new AssertionError(location + " is on no volume of ptz-service"));
        Volume volume = pod(ptz).getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        assertThat(GPU_OVERLAY.get(Secret.class, volume.getSecret().getSecretName()).getData())
                .containsKey(location.getFileName().toString());

        // what the file is for: the packaged service configures the cameras of the file it is pointed at
        Path cameras = Files.writeString(dir.resolve(location.getFileName().toString()), String.join("\n",
                "fleet.ptz.cameras.gate.driver=isapi", "fleet.ptz.cameras.gate.stream=gate",
                "fleet.ptz.cameras.gate.isapi.url=http://127.0.0.1:9", "fleet.ptz.cameras.gate.isapi.password=secret"));
        try (ServiceProcess service = ServiceProcess.start("ptz-service", "ptz-isapi-config", 24397,
                Map.of("quarkus.config.locations", cameras.toString()))) {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> service.get("/ptz")
                    .map(list -> list.findValuesAsText("camera").contains("gate")).orElse(false));
        }
    }

    @Test
    void recordingsLiveOnTheirOwnVolumeAndTheRelayIsReachableFromOutside() {
        Deployment storage = GPU_OVERLAY.deployment("storage-service");
        assertThat(pod(storage).getVolumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null)
                .extracting(v -> v.getPersistentVolumeClaim().getClaimName()).containsExactly("recordings");
        assertThat(GPU_OVERLAY.get(PersistentVolumeClaim.class, "recordings").getSpec().getResources().getRequests()).containsKey("storage");
        assertThat(storage.getSpec().getStrategy().getType()).as("one pod at a time on the ReadWriteOnce volume").isEqualTo("Recreate");
        Service outside = GPU_OVERLAY.get(Service.class, "ingest-server-public");
        assertThat(outside.getSpec().getType()).isIn("NodePort", "LoadBalancer");
        assertThat(outside.getSpec().getPorts()).extracting(p -> p.getTargetPort().getStrVal()).contains("http", "rtsp");
    }

    @Test
    void theGpuOverlayPutsFrameProcessorOnGpuNodesWithOneGpuEach() {
        Deployment fp = GPU_OVERLAY.deployment("frame-processor");
        assertRunsOnGpuNodes(fp);
        assertThat(container(fp).getImage()).endsWith("-gpu");
        assertThat(pod(fp).getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("models");
            assertThat(v.getEmptyDir()).isNull();
            assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("sam2-models");
        });
        assertThat(GPU_OVERLAY.all(Deployment.class)).filteredOn(d -> d != fp).allSatisfy(KubernetesManifestsTest::assertRunsAnywhere);
    }

    @Test
    void theCpuOverlayNeedsNoGpuAnywhere() {
        CPU_OVERLAY.all(Deployment.class).forEach(KubernetesManifestsTest::assertRunsAnywhere);
        assertThat(container(CPU_OVERLAY.deployment("frame-processor")).getImage()).endsWith("-cpu");
        assertThat(CPU_OVERLAY.objects).extracting(HasMetadata::getKind).doesNotContain("RuntimeClass");
    }

    @Test
    void theGpuSlamOverlayMovesSlamServiceToGpuNodesToo() {
        RenderedManifests fleet = RenderedManifests.render(Repo.path("k8s/overlays/gpu-slam").toString());
        assertRunsOnGpuNodes(fleet.deployment("slam-service"));
        assertRunsOnGpuNodes(fleet.deployment("frame-processor"));
        assertRunsAnywhere(fleet.deployment("storage-service"));
    }

    private static void assertRunsOnGpuNodes(Deployment d) {
        String name = d.getMetadata().getName();
        PodSpec pod = pod(d);
        assertThat(pod.getNodeSelector()).as(name).containsEntry("nvidia.com/gpu.present", "true");
        assertThat(pod.getTolerations()).as(name).anySatisfy(t -> {
            assertThat(t.getKey()).isEqualTo(GPU);
            assertThat(t.getOperator()).isEqualTo("Exists");
            assertThat(t.getEffect()).isEqualTo("NoSchedule");
        });
        assertThat(container(d).getResources().getLimits()).as(name).containsEntry(GPU, new Quantity("1"));
        assertThat(pod.getRuntimeClassName()).as(name).isEqualTo("nvidia");
    }

    private static void assertRunsAnywhere(Deployment d) {
        PodSpec pod = pod(d);
        String name = d.getMetadata().getName();
        assertThat(container(d).getResources().getLimits()).as(name).doesNotContainKey(GPU);
        assertThat(Objects.requireNonNullElse(pod.getNodeSelector(), Map.of())).as(name).isEmpty();
        assertThat(Stream.ofNullable(pod.getTolerations()).flatMap(List::stream).map(Toleration::getKey)).as(name).doesNotContain(GPU);
        assertThat(pod.getRuntimeClassName()).as(name).isNull();
    }
}
