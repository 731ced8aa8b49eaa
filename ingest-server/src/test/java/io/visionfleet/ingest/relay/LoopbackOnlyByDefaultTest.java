package io.visionfleet.ingest.relay;

import io.quarkus.test.junit.QuarkusTest;
import io.visionfleet.ingest.testing.ReferenceClip;
import io.visionfleet.ingest.testing.TestRelay;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * With no video credentials configured (the test default), the relay serves readers on this machine's loopback
 * interface without credentials, as before, and refuses one that comes through another interface.
 */
@QuarkusTest
@Tag("integration")
class LoopbackOnlyByDefaultTest {
    @Inject
    TestRelay relay;

    @Test
    void loopbackReadersNeedNoCredentialsAndOthersAreRefused() throws Exception {
        Optional<InetAddress> lan = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()).findFirst();
        try (TestRelay.FedStream fed = relay.feed("open-cam", ReferenceClip.synthetic(320, 240, 30, 15, 30))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> fed.stream().hasParameterSets());
            VideoCredentialsTest.Ffmpeg local = VideoCredentialsTest.Ffmpeg.read(relay.url("open-cam"), 3);
            assertThat(local.exit()).as(local.log()).isZero();
            assertThat(local.frames()).isEqualTo(3);

            assumeThat(lan).as("a non-loopback address on this machine").isPresent();
            String remote = "rtsp://" + lan.get().getHostAddress() + ":" + relay.port() + "/open-cam";
            VideoCredentialsTest.Ffmpeg refused = VideoCredentialsTest.Ffmpeg.read(remote, 3);
            assertThat(refused.exit()).isNotZero();
            assertThat(refused.log()).contains("403 Forbidden");
            assertThat(refused.frames()).isZero();
        }
    }
}
