package io.visionfleet.ptz.onvif;

import io.visionfleet.ptz.driver.AuthHoldOff;
import io.visionfleet.ptz.driver.CameraHttp;
import io.visionfleet.ptz.driver.PtzAuthException;
import io.visionfleet.ptz.driver.PtzException;
import org.w3c.dom.Element;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * SOAP 1.2 to one ONVIF device: each request in an envelope, authenticated with a WS-Security UsernameToken created on
 * the {@link DeviceClock}, the answer's body element checked to be the operation's response, faults as
 * {@link FaultException}s. Thread-safe without locks around requests: the token draws a fresh nonce per request, the
 * clock offset and the {@link AuthHoldOff} are safe to share, so requests to one device go out side by side.
 */
final class OnvifClient {
    private final URI device;
    private final String username;
    private final UsernameToken token;
    private final DeviceClock clock;
    private final CameraHttp http;
    private final AuthHoldOff holdOff;

    OnvifClient(URI device, String username, char[] password, Duration timeout, Duration authBackoff, LongSupplier clockMs) {
        this.device = device;
        this.username = username;
        this.token = new UsernameToken(username, password);
        this.clock = new DeviceClock(clockMs);
        this.http = new CameraHttp(device.getHost(), timeout);
        this.holdOff = new AuthHoldOff(device.getHost(), username, "fleet.ptz.cameras.*.onvif.password", authBackoff,
                clockMs);
    }

    /** A fault answered by the camera (a PtzException naming the operation and the camera's reason). */
    static final class FaultException extends PtzException {
        final transient Soap.Fault fault;

        FaultException(String message, Soap.Fault fault) {
            super(message);
            this.fault = fault;
        }
    }

    /** The device service, as configured. */
    URI device() {
        return device;
    }

    DeviceClock clock() {
        return clock;
    }

    long requests() {
        return http.requests();
    }

    /** @throws PtzAuthException while holding off after refused credentials */
    void checkHoldOff() {
        holdOff.check();
    }

    /**
     * An authenticated call. A NotAuthorized fault may be a clock that moved: the clock is read again and the call
     * retried once; refused again, the credentials are wrong and the client holds off (doubling up to 30 min) so the
     * camera's login lock does not trip.
     */
    Element call(URI url, OnvifRequest request) {
        holdOff.check();
        try {
            return accepted(send(url, request, true));
        } catch (FaultException first) {
            if (!first.fault.notAuthorized()) {
                throw first;
            }
            if (clock.measured()) {
                clock.measure(this);
            }
            try {
                return accepted(send(url, request, true));
            } catch (FaultException second) {
                if (!second.fault.notAuthorized()) {
                    throw second;
                }
                long held = holdOff.refused(second.fault.toString());
                throw new PtzAuthException(String.format("camera %s refused the credentials of user '%s' (%s; clock "
                        + "offset %d ms applied): wrong password? Holding off %d s so its login lock does not trip",
                        device.getHost(), username, second.fault.reason() == null ? "NotAuthorized"
                                : second.fault.reason(), clock.offsetMs(), held / 1000));
            }
        }
    }

    /** One SOAP request; the response's body element, or a FaultException / PtzException. */
    Element send(URI url, OnvifRequest request, boolean authenticated) {
        String op = request.op();
        String header = authenticated ? token.header(clock.now()) : null;
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url)
                .header("Content-Type", "application/soap+xml; charset=utf-8; action=\"" + request.ns() + "/" + op + "\"")
                .POST(HttpRequest.BodyPublishers.ofString(Soap.envelope(header, request.body()))), op);
        Element result;
        try {
            result = Soap.body(Soap.parse(response.body()));
        } catch (IllegalArgumentException e) {
            if (response.statusCode() == 401) {
                throw new PtzAuthException("camera " + url.getHost() + " answered " + op + " with HTTP 401: it asks for "
                        + "HTTP authentication; this driver authenticates with WS-Security UsernameToken only");
            }
            throw new PtzException("camera " + url.getHost() + " answered " + op + " with HTTP " + response.statusCode()
                    + " and no SOAP envelope (" + e.getMessage() + ")");
        }
        Soap.Fault fault = Soap.Fault.of(result);
        if (fault != null) {
            throw new FaultException("camera " + url.getHost() + " refused " + op + ": " + fault, fault);
        }
        if (response.statusCode() / 100 != 2) {
            throw new PtzException("camera " + url.getHost() + " answered " + op + " with HTTP " + response.statusCode());
        }
        if (result == null || !(op + "Response").equals(result.getLocalName())) {
            throw new PtzException("camera " + url.getHost() + " answered " + op + " with "
                    + (result == null ? "an empty body" : result.getLocalName()));
        }
        return result;
    }

    private Element accepted(Element response) {
        holdOff.accepted();
        return response;
    }
}
