package io.visionfleet.common.rtsp;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * The first video track of a session description: its RTP payload type, encoding name, control URL and, for
 * H.264, the SPS and PPS of {@code sprop-parameter-sets} in Annex B form.
 */
record SdpVideoTrack(int payloadType, String encoding, String control, byte[] parameterSets) {
    private static final byte[] START_CODE = {0, 0, 0, 1};

    boolean isH264() {
        return "H264".equalsIgnoreCase(encoding);
    }

    /** The track's control URL resolved against the session's base URL (Content-Base). */
    String controlUrl(String base) {
        if (control.isEmpty() || control.equals("*")) {
            return base;
        }
        if (control.regionMatches(true, 0, "rtsp://", 0, 7)) {
            return control;
        }
        return base.endsWith("/") ? base + control : base + "/" + control;
    }

    static Optional<SdpVideoTrack> parse(String sdp) {
        int payloadType = -1;
        String encoding = "";
        String control = "";
        String sprop = "";
        boolean inVideo = false;
        for (String raw : sdp.split("\n")) {
            String line = raw.trim();
            if (line.startsWith("m=")) {
                if (inVideo) {
                    break;
                }
                String[] media = line.substring(2).split(" ");
                inVideo = media[0].equals("video") && media.length > 3;
                payloadType = inVideo ? parseInt(media[3]) : -1;
            } else if (inVideo && line.startsWith("a=rtpmap:" + payloadType + " ")) {
                encoding = line.substring(line.indexOf(' ') + 1).split("/")[0];
            } else if (inVideo && line.startsWith("a=control:")) {
                control = line.substring("a=control:".length());
            } else if (inVideo && line.startsWith("a=fmtp:" + payloadType + " ")) {
                for (String param : line.substring(line.indexOf(' ') + 1).split(";")) {
                    String p = param.trim();
                    if (p.toLowerCase(Locale.ROOT).startsWith("sprop-parameter-sets=")) {
                        sprop = p.substring(p.indexOf('=') + 1);
                    }
                }
            }
        }
        if (!inVideo || payloadType < 0) {
            return Optional.empty();
        }
        return Optional.of(new SdpVideoTrack(payloadType, encoding, control, annexB(sprop)));
    }

    private static byte[] annexB(String spropParameterSets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String set : spropParameterSets.split(",")) {
            if (!set.isBlank()) {
                try {
                    out.writeBytes(START_CODE);
                    out.writeBytes(Base64.getDecoder().decode(set.trim()));
                } catch (IllegalArgumentException e) {
                    return new byte[0]; // unreadable: the stream repeats SPS and PPS in-band
                }
            }
        }
        return out.toByteArray();
    }

    private static int parseInt(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
