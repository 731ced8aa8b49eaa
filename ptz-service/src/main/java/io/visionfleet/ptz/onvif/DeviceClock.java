package io.visionfleet.ptz.onvif;

import org.jboss.logging.Logger;
import org.w3c.dom.Element;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

import static io.visionfleet.ptz.onvif.Soap.TDS;
import static io.visionfleet.ptz.onvif.Soap.TT;

/**
 * The device's clock, as its offset from ours, measured with GetSystemDateAndTime: WS-Security tokens are created on
 * it, since devices refuse tokens created far from their own time and camera clocks are often hours off. Thread-safe:
 * the offset is one volatile value, replaced whole by each measurement.
 */
final class DeviceClock {
    private static final Logger LOG = Logger.getLogger(DeviceClock.class);

    private final LongSupplier ourMs;
    private volatile long offsetMs;
    private volatile boolean measured;

    /** @param ourMs our wall clock, epoch ms */
    DeviceClock(LongSupplier ourMs) {
        this.ourMs = ourMs;
    }

    /** Now on the device's clock, epoch ms. */
    long now() {
        return ourMs.getAsLong() + offsetMs;
    }

    /** The device clock minus ours, ms, as last measured. */
    long offsetMs() {
        return offsetMs;
    }

    /** Whether a measurement was made (until then tokens are created on our clock). */
    boolean measured() {
        return measured;
    }

    /** Reads the device's UTC clock (no authentication needed) and keeps its offset from ours. */
    void measure(OnvifClient client) {
        long before = ourMs.getAsLong();
        Element r = client.send(client.device(), OnvifRequest.getSystemDateAndTime(), false);
        long after = ourMs.getAsLong();
        Long device = utcMs(r);
        if (device == null) {
            LOG.warnf("camera %s gave no UTC time; creating tokens on our clock", client.device().getHost());
            offsetMs = 0;
        } else {
            // the device's seconds were read somewhere in the round trip; its whole second ends up to 1 s later
            offsetMs = device + 500 - (before + after) / 2;
        }
        measured = true;
    }

    /** The {@code UTCDateTime} of a GetSystemDateAndTimeResponse, epoch ms, or null when incomplete. */
    static Long utcMs(Element response) {
        Element utc = Soap.path(Soap.child(response, TDS, "SystemDateAndTime"), TT, "UTCDateTime");
        Element date = Soap.child(utc, TT, "Date");
        Element time = Soap.child(utc, TT, "Time");
        Double y = Soap.number(Soap.child(date, TT, "Year"));
        Double mo = Soap.number(Soap.child(date, TT, "Month"));
        Double d = Soap.number(Soap.child(date, TT, "Day"));
        Double h = Soap.number(Soap.child(time, TT, "Hour"));
        Double mi = Soap.number(Soap.child(time, TT, "Minute"));
        Double s = Soap.number(Soap.child(time, TT, "Second"));
        if (y == null || mo == null || d == null || h == null || mi == null || s == null) {
            return null;
        }
        return LocalDateTime.of(y.intValue(), mo.intValue(), d.intValue(), h.intValue(), mi.intValue(), s.intValue())
                .toInstant(ZoneOffset.UTC).toEpochMilli();
    }
}
