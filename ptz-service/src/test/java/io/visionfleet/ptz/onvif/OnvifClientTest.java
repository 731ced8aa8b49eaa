package io.visionfleet.ptz.onvif;

import io.visionfleet.ptz.driver.PtzAuthException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The SOAP client and the device clock against the local device, which refuses replayed nonces and stale tokens. */
@Tag("quick")
class OnvifClientTest {
    private static final String SECRET = "0nvif-Secret";
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private FakeOnvifDevice device;

    @AfterEach
    void tearDown() {
        if (device != null) {
            device.close();
        }
    }

    private OnvifClient client(String password) throws Exception {
        device = new FakeOnvifDevice("admin", SECRET, true, now::get);
        return new OnvifClient(URI.create(device.deviceUrl()), "admin", password.toCharArray(), Duration.ofSeconds(2),
                Duration.ofSeconds(60), now::get);
    }

    @Test
    void concurrentCallsEachCarryAFreshTokenOnTheDevicesClock() throws Exception {
        OnvifClient c = client(SECRET);
        device.clockOffsetMs = -3_600_000;
        c.clock().measure(c);
        assertThat(c.clock().offsetMs()).isCloseTo(-3_600_000L, within(500L));
        assertThat(c.clock().now()).isEqualTo(now.get() + c.clock().offsetMs());
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            calls.add(CompletableFuture.runAsync(() -> c.call(URI.create(device.deviceUrl()), OnvifRequest.getNodes())));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        assertThat(device.refused).as("no nonce reused, no token off the device's clock").hasValue(0);
        assertThat(device.ops()).hasSize(40).containsOnly("GetNodes");
        assertThat(c.requests()).isEqualTo(41);
    }

    @Test
    void aFaultIsAFaultExceptionWithTheDevicesSubcodes() throws Exception {
        OnvifClient c = client(SECRET);
        device.profileExists = false;
        assertThatThrownBy(() -> c.call(URI.create(device.deviceUrl()), OnvifRequest.stop("Profile_2")))
                .isInstanceOfSatisfying(OnvifClient.FaultException.class, e -> {
                    assertThat(e.fault.subcodes()).containsExactly("InvalidArgVal", "NoProfile");
                    assertThat(e.fault.notAuthorized()).isFalse();
                });
    }

    @Test
    void refusedTwiceTheClientHoldsOffWithoutSendingAnything() throws Exception {
        OnvifClient c = client("wrong-one");
        URI url = URI.create(device.deviceUrl());
        assertThatThrownBy(() -> c.call(url, OnvifRequest.getNodes())).isInstanceOf(PtzAuthException.class)
                .hasMessageContaining("Holding off 60 s").hasMessageNotContaining("wrong-one");
        assertThat(device.refused).as("clock not yet measured: no re-read, one retry").hasValue(2);
        long sent = c.requests();
        assertThatThrownBy(() -> c.call(url, OnvifRequest.getNodes())).isInstanceOf(PtzAuthException.class)
                .hasMessageContaining("not trying again for 60 s").hasMessageContaining("onvif.password");
        assertThatThrownBy(c::checkHoldOff).isInstanceOf(PtzAuthException.class);
        assertThat(c.requests()).isEqualTo(sent);
    }

    @Test
    void aDeviceWithoutAUtcTimeLeavesTokensOnOurClock() {
        org.w3c.dom.Element r = Soap.body(Soap.parse(Soap.envelope(null, "<tds:GetSystemDateAndTimeResponse>"
                + "<tds:SystemDateAndTime><tt:UTCDateTime><tt:Time><tt:Hour>1</tt:Hour></tt:Time></tt:UTCDateTime>"
                + "</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>")));
        assertThat(DeviceClock.utcMs(r)).isNull();
        org.w3c.dom.Element full = Soap.body(Soap.parse(Soap.envelope(null, "<tds:GetSystemDateAndTimeResponse>"
                + "<tds:SystemDateAndTime><tt:UTCDateTime><tt:Time><tt:Hour>1</tt:Hour><tt:Minute>2</tt:Minute>"
                + "<tt:Second>3</tt:Second></tt:Time><tt:Date><tt:Year>2024</tt:Year><tt:Month>2</tt:Month>"
                + "<tt:Day>29</tt:Day></tt:Date></tt:UTCDateTime></tds:SystemDateAndTime>"
                + "</tds:GetSystemDateAndTimeResponse>")));
        assertThat(DeviceClock.utcMs(full)).isEqualTo(java.time.Instant.parse("2024-02-29T01:02:03Z").toEpochMilli());
        DeviceClock clock = new DeviceClock(now::get);
        assertThat(clock.measured()).isFalse();
        assertThat(clock.now()).isEqualTo(now.get());
    }
}
