package io.visionfleet.deploy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The images, checked from their Dockerfiles (ComposeFleetTest builds and runs them): one per application, the Quarkus
 * fast-jar packaged on the host on a JRE base that is a build argument (the public Temurin JRE by default, a base made
 * from Debian packages where no registry is reachable), an unprivileged user, and a health check on the readiness
 * endpoint at the port the service really listens on. The GPU image still compiles in a build stage of its own.
 */
@Tag("quick")
class ImagesTest {
    static Stream<String> applications() {
        return Repo.applications().stream();
    }

    @ParameterizedTest
    @MethodSource("applications")
    void everyApplicationHasAJvmImageOnABaseGivenAsBuildArgument(String module) {
        String path = "deploy/" + module + "/Dockerfile";
        assertThat(Repo.path(path)).as(path).isRegularFile();
        Dockerfile file = Dockerfile.parse(Repo.read(path));
        assertThat(file.stages()).as("one stage: the application is packaged on the host").hasSize(1);
        assertThat(file.runtime().from()).isEqualTo("${BASE_IMAGE}");
        assertThat(file.args()).containsOnlyKeys("BASE_IMAGE");
        assertThat(file.image(file.runtime())).as("the public default").startsWith("eclipse-temurin:17-jre");
        Dockerfile.Stage runtime = file.runtime();
        assertThat(runtime.all("COPY")).as("only the fast-jar goes into the image")
                .allSatisfy(c -> assertThat(c).startsWith(module + "/target/quarkus-app/"))
                .anySatisfy(c -> assertThat(c).contains("quarkus-app/lib/"))
                .anySatisfy(c -> assertThat(c).contains("quarkus-app/quarkus-run.jar"));
        assertRuns(runtime);
        assertThat(Files.isRegularFile(Repo.path(module + "/pom.xml"))).isTrue();
    }

    @ParameterizedTest
    @MethodSource("applications")
    void everyServiceChecksItsReadinessOnItsOwnPort(String module) {
        Dockerfile.Stage runtime = Dockerfile.parse(Repo.read("deploy/" + module + "/Dockerfile")).runtime();
        int port = Repo.httpPort(module);
        if (port < 0) {
            assertThat(runtime.all("HEALTHCHECK")).as("%s serves no HTTP", module).containsExactly("NONE");
            return;
        }
        assertThat(runtime.all("HEALTHCHECK")).singleElement().asString()
                .contains("http://127.0.0.1:" + port + "/q/health/ready").contains("curl -f");
        String check = runtime.all("HEALTHCHECK").get(0);
        // a busy service answers late on a loaded machine (a 3 s timeout marked a healthy replica unhealthy), not never
        assertThat(option(check, "timeout")).as("seconds a check waits: %s", check).isGreaterThanOrEqualTo(10);
        assertThat(option(check, "retries")).as("misses in a row that make it unhealthy: %s", check).isGreaterThanOrEqualTo(3);
        assertThat(runtime.all("EXPOSE")).singleElement().asString().startsWith(Integer.toString(port));
        // curl comes with the Debian-made base; a public base installs it
        assertThat(runtime.all("RUN")).anySatisfy(run -> assertThat(run).contains("command -v curl").contains("install").contains("curl"));
    }

    @Test
    void frameProcessorsGpuImageRunsOnCuda12WithCudnn9AndTheGpuProfile() {
        Dockerfile file = Dockerfile.parse(Repo.read("deploy/frame-processor/Dockerfile.gpu"));
        assertThat(file.args()).containsKeys("BASE_IMAGE", "BUILD_IMAGE", "JRE_IMAGE");
        Dockerfile.Stage build = file.stage("build");
        assertThat(build.all("RUN")).anySatisfy(run -> assertThat(run)
                .contains("./mvnw -B -q -pl frame-processor -am package -DskipTests -Pgpu"));
        assertThat(build.all("RUN")).as("the build fails unless the gpu profile swapped ONNX Runtime")
                .anySatisfy(run -> assertThat(run).contains("grep -q '^com.microsoft.onnxruntime.onnxruntime_gpu-1.28.0.jar$'"));
        assertThat(file.image(build)).startsWith("eclipse-temurin:17-jdk");
        // onnxruntime_gpu 1.28.0's CUDA provider links libcudart.so.12 and libcublas(Lt).so.12 and loads cuDNN 9
        assertThat(file.image(file.runtime())).matches("nvidia/cuda:12\\.\\d+\\.\\d+-cudnn-runtime-ubuntu\\d+\\.\\d+");
        Dockerfile.Stage runtime = file.runtime();
        assertThat(runtime.all("COPY")).as("only the fast-jar and the JRE go into the runtime image")
                .allSatisfy(c -> assertThat(c).matches("--from=(build /src/frame-processor/target/quarkus-app/|jre ).*"))
                .anySatisfy(c -> assertThat(c).startsWith("--from=jre /opt/java/openjdk"))
                .anySatisfy(c -> assertThat(c).contains("quarkus-app/quarkus-run.jar"));
        assertThat(runtime.all("ENV")).anySatisfy(e -> assertThat(e).contains("PATH=/opt/java/openjdk/bin:"));
        assertRuns(runtime);
    }

    @Test
    void theBrokerImageIsDebiansRabbitMqWithTheManagementPluginAndTheDefinitions() {
        Dockerfile file = Dockerfile.parse(Repo.read("deploy/rabbitmq/Dockerfile"));
        assertThat(file.image(file.runtime())).startsWith("debian:");
        Dockerfile.Stage runtime = file.runtime();
        assertThat(runtime.all("RUN")).anySatisfy(run -> assertThat(run).contains("install").contains("rabbitmq-server")
                .contains("rabbitmq-plugins enable --offline rabbitmq_management"));
        assertThat(runtime.all("COPY")).contains("deploy/rabbitmq/definitions.json /etc/rabbitmq/definitions.json");
        assertThat(runtime.all("HEALTHCHECK")).singleElement().asString().contains("/dev/tcp/127.0.0.1/5672");
        assertThat(runtime.all("USER")).containsExactly("rabbitmq");
    }

    @Test
    void theBuildContextHoldsTheFastJarsButNoOtherBuildOutput() {
        List<String> ignored = Repo.read(".dockerignore").lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        assertThat(ignored).contains("**/target/", ".git/", ".fleet/", "data/");
        assertThat(ignored).containsSubsequence("**/target/", "!*/target/quarkus-app/");
        assertThat(Repo.applications()).allSatisfy(m -> assertThat(ignored).doesNotContain(m + "/", m));
    }

    /** The number of a {@code HEALTHCHECK} option such as {@code --timeout=10s}. */
    private static int option(String healthcheck, String name) {
        Matcher m = Pattern.compile("--" + name + "=(\\d+)").matcher(healthcheck);
        assertThat(m.find()).as("%s sets --%s", healthcheck, name).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static void assertRuns(Dockerfile.Stage runtime) {
        assertThat(runtime.all("USER")).singleElement().asString().isNotIn("0", "root").matches("\\d+");
        assertThat(runtime.all("ENTRYPOINT")).singleElement().asString()
                .isEqualTo("[\"java\", \"-jar\", \"/deployments/quarkus-run.jar\"]");
        // the frame path frees its natives in scopes: JavaCPP need not read /proc/self/statm at every allocation
        assertThat(runtime.all("ENV")).anySatisfy(e -> assertThat(e).startsWith("JAVA_TOOL_OPTIONS=")
                .contains("-Dorg.bytedeco.javacpp.maxPhysicalBytes=0"));
    }
}
