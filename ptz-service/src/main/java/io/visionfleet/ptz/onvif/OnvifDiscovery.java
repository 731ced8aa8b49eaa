package io.visionfleet.ptz.onvif;

import io.visionfleet.ptz.driver.PtzException;
import org.jboss.logging.Logger;
import org.w3c.dom.Element;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.visionfleet.ptz.onvif.Soap.TDS;
import static io.visionfleet.ptz.onvif.Soap.TPTZ;
import static io.visionfleet.ptz.onvif.Soap.TRT;
import static io.visionfleet.ptz.onvif.Soap.TT;

/**
 * Finds a device's PTZ set-up: reads its clock (GetSystemDateAndTime, so that tokens are created on the device's time),
 * the Media and PTZ services (GetServices, or GetCapabilities on devices without it), the profile (the configured one,
 * else the first with a PTZ configuration) and its PTZ node's generic spaces (GetNodes).
 */
final class OnvifDiscovery {
    private static final Logger LOG = Logger.getLogger(OnvifDiscovery.class);
    private static final String GENERIC = "GenericSpace";

    private OnvifDiscovery() {
    }

    static OnvifSession discover(OnvifClient client, Optional<String> wantedProfile) {
        client.clock().measure(client);
        URI device = client.device();
        Map<String, URI> services = services(client);
        URI media = services.getOrDefault(TRT, device);
        URI ptz = services.get(TPTZ);
        if (ptz == null) {
            throw new PtzException("camera " + device.getHost() + " has no PTZ service");
        }
        Element profiles = client.call(media, OnvifRequest.getProfiles());
        String profile = null;
        String node = null;
        List<String> seen = new ArrayList<>();
        for (Element p : Soap.children(profiles, TRT, "Profiles")) {
            String t = p.getAttribute("token");
            seen.add(t);
            Element conf = Soap.child(p, TT, "PTZConfiguration");
            if (wantedProfile.map(t::equals).orElse(conf != null)) {
                if (conf == null) {
                    throw new PtzException("profile " + t + " of camera " + device.getHost() + " has no PTZ configuration");
                }
                profile = t;
                node = Soap.text(Soap.child(conf, TT, "NodeToken"));
                break;
            }
        }
        if (profile == null) {
            throw new PtzException("camera " + device.getHost() + " has " + wantedProfile
                    .map(p -> "no profile " + p).orElse("no profile with a PTZ configuration") + " (profiles: " + seen + ")");
        }
        Element nodes = client.call(ptz, OnvifRequest.getNodes());
        Element chosen = null;
        for (Element n : Soap.children(nodes, TPTZ, "PTZNode")) {
            if (chosen == null || n.getAttribute("token").equals(node)) {
                chosen = n;
            }
        }
        if (chosen == null) {
            throw new PtzException("camera " + device.getHost() + " lists no PTZ node");
        }
        Element spaces = Soap.child(chosen, TT, "SupportedPTZSpaces");
        Double max = Soap.number(Soap.child(chosen, TT, "MaximumNumberOfPresets"));
        return new OnvifSession(media, ptz, profile, chosen.getAttribute("token"),
                space(spaces, "AbsolutePanTiltPositionSpace"), space(spaces, "AbsoluteZoomPositionSpace"),
                space(spaces, "RelativePanTiltTranslationSpace"), space(spaces, "RelativeZoomTranslationSpace"),
                space(spaces, "ContinuousPanTiltVelocitySpace"), space(spaces, "ContinuousZoomVelocitySpace"),
                max == null ? 0 : max.intValue());
    }

    /** The generic space of this kind (the normalised one the driver maps), or null when the node has none. */
    static OnvifSession.Space space(Element spaces, String kind) {
        for (Element e : Soap.children(spaces, TT, kind)) {
            String uri = Soap.text(Soap.child(e, TT, "URI"));
            if (uri != null && !uri.endsWith(GENERIC)) {
                continue;
            }
            Element xr = Soap.child(e, TT, "XRange");
            Element yr = Soap.child(e, TT, "YRange");
            Double x0 = Soap.number(Soap.child(xr, TT, "Min"));
            Double x1 = Soap.number(Soap.child(xr, TT, "Max"));
            Double y0 = Soap.number(Soap.child(yr, TT, "Min"));
            Double y1 = Soap.number(Soap.child(yr, TT, "Max"));
            if (x0 == null || x1 == null || !(x1 > x0)) {
                continue;
            }
            return new OnvifSession.Space(uri, x0, x1, y0 == null ? 0 : y0, y1 == null ? 0 : y1);
        }
        return null;
    }

    /** Namespace → XAddr of the device's services: GetServices, or GetCapabilities where that is not supported. */
    private static Map<String, URI> services(OnvifClient client) {
        URI device = client.device();
        Map<String, URI> out = new HashMap<>();
        try {
            Element r = client.call(device, OnvifRequest.getServices());
            for (Element s : Soap.children(r, TDS, "Service")) {
                String ns = Soap.text(Soap.child(s, TDS, "Namespace"));
                String addr = Soap.text(Soap.child(s, TDS, "XAddr"));
                if (ns != null && addr != null && !addr.isEmpty()) {
                    out.put(ns, xaddr(device, addr));
                }
            }
        } catch (OnvifClient.FaultException e) {
            if (!e.fault.actionNotSupported() && !"Receiver".equals(e.fault.code())) {
                throw e;
            }
            LOG.debugf("camera %s: GetServices refused (%s), asking GetCapabilities", device.getHost(), e.fault);
        }
        if (!out.containsKey(TPTZ)) {
            Element c = Soap.child(client.call(device, OnvifRequest.getCapabilities()), TDS, "Capabilities");
            String p = Soap.text(Soap.path(c, TT, "PTZ", "XAddr"));
            String m = Soap.text(Soap.path(c, TT, "Media", "XAddr"));
            if (p != null && !p.isEmpty()) {
                out.put(TPTZ, xaddr(device, p));
            }
            if (m != null && !m.isEmpty()) {
                out.putIfAbsent(TRT, xaddr(device, m));
            }
        }
        return out;
    }

    /**
     * A service address as the device gave it. Devices behind NAT or port forwarding report their own LAN address:
     * the path is kept, host and port are the ones configured.
     */
    static URI xaddr(URI device, String addr) {
        URI u = URI.create(addr.trim());
        return device.resolve(u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
    }
}
