package io.visionfleet.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The images, checked from their Dockerfiles (no Docker engine builds them here): one per application, a Maven build
 * stage and a JRE runtime stage with only the Quarkus fast-jar, an unprivileged user, and a health check on the
 * readiness endpoint at the port the service really listens on.
 */
class ImagesTest {
    static Stream<String> applications() {
        return Repo.applications().stream();
    }

    @ParameterizedTest
    @MethodSource("applications")
    void everyApplicationHasAMultiStageJvmImage(String module) {
        String path = "deploy/" + module + "/Dockerfile";
        assertThat(Repo.path(path)).as(path).isRegularFile();
        Dockerfile file = Dockerfile.parse(Repo.read(path));
        assertBuildsAndRuns(file, module, "");
        assertThat(file.runtime().from()).as("slim JRE runtime").startsWith("eclipse-temurin:17-jre");
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
        assertThat(runtime.all("EXPOSE")).singleElement().asString().startsWith(Integer.toString(port));
        assertThat(runtime.all("RUN")).anySatisfy(run -> assertThat(run).contains("install").contains("curl"));
    }

    @Test
    void frameProcessorsGpuImageRunsOnCuda12WithCudnn9AndTheGpuProfile() {
        Dockerfile file = Dockerfile.parse(Repo.read("deploy/frame-processor/Dockerfile.gpu"));
        assertBuildsAndRuns(file, "frame-processor", " -Pgpu");
        assertThat(file.stage("build").all("RUN")).as("the build fails unless the gpu profile swapped ONNX Runtime")
                .anySatisfy(run -> assertThat(run).contains("grep -q '^com.microsoft.onnxruntime.onnxruntime_gpu-1.28.0.jar$'"));
        // onnxruntime_gpu 1.28.0's CUDA provider links libcudart.so.12 and libcublas(Lt).so.12 and loads cuDNN 9
        assertThat(file.runtime().from()).matches("nvidia/cuda:12\\.\\d+\\.\\d+-cudnn-runtime-ubuntu\\d+\\.\\d+");
        assertThat(file.runtime().all("COPY")).anySatisfy(c -> assertThat(c).startsWith("--from=jre /opt/java/openjdk"));
        assertThat(file.runtime().all("ENV")).anySatisfy(e -> assertThat(e).contains("PATH=/opt/java/openjdk/bin:"));
    }

    @Test
    void theBuildContextLeavesOutBuildOutputAndLocalState() {
        List<String> ignored = Repo.read(".dockerignore").lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        assertThat(ignored).contains("**/target/", ".git/", ".fleet/", "data/");
        assertThat(Repo.applications()).allSatisfy(m -> assertThat(ignored).doesNotContain(m + "/", m));
    }

    private static void assertBuildsAndRuns(Dockerfile file, String module, String mavenArgs) {
        assertThat(file.stages()).hasSizeGreaterThanOrEqualTo(2);
        Dockerfile.Stage build = file.stage("build");
        assertThat(build.all("RUN")).anySatisfy(run -> assertThat(run)
                .contains("./mvnw -B -q -pl " + module + " -am package -DskipTests" + mavenArgs));
        Dockerfile.Stage runtime = file.runtime();
        assertThat(runtime.all("COPY")).as("only the fast-jar goes into the runtime image")
                .allSatisfy(c -> assertThat(c).matches("--from=(build /src/" + module + "/target/quarkus-app/|jre ).*"))
                .anySatisfy(c -> assertThat(c).contains("quarkus-app/lib/"))
                .anySatisfy(c -> assertThat(c).contains("quarkus-app/quarkus-run.jar"));
        assertThat(runtime.all("USER")).singleElement().asString().isNotIn("0", "root").matches("\\d+");
        assertThat(runtime.all("ENTRYPOINT")).singleElement().asString()
                .isEqualTo("[\"java\", \"-jar\", \"/deployments/quarkus-run.jar\"]");
        assertThat(Files.isRegularFile(Repo.path(module + "/pom.xml"))).isTrue();
    }
}
