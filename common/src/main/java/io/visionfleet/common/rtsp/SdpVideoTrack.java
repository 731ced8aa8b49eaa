package io.visionfleet.common.rtsp;

import io.visionfleet.common.h264.VideoCodec;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The first video track of a session description: its RTP payload type, encoding name, control URL and format
 * parameters, and from them the parameter sets in Annex B form (H.264: {@code sprop-parameter-sets}; H.265:
 * {@code sprop-vps}, {@code sprop-sps}, {@code sprop-pps}).
 */
record SdpVideoTrack(int payloadType, String encoding, String control, Map<String, String> formatParameters) {
    private static final byte[] START_CODE = {0, 0, 0, 1};

    /** The codec of the track's encoding name, if the fleet carries it. */
    Optional<VideoCodec> codec() {
        return switch (encoding.toUpperCase(Locale.ROOT)) {
            case "H264" -> Optional.of(VideoCodec.H264);
            case "H265" -> Optional.of(VideoCodec.H265);
            default -> Optional.empty();
        };
    }

    /** The parameter sets the description carries, in the order a decoder needs them; empty when it has none. */
    byte[] parameterSets() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] names = codec().orElse(VideoCodec.H264) == VideoCodec.H264
                ? new String[] {"sprop-parameter-sets"} : new String[] {"sprop-vps", "sprop-sps", "sprop-pps"};
        for (String name : names) {
            for (String set : formatParameters.getOrDefault(name, "").split(",")) {
                if (!set.isBlank()) {
                    try {
                        out.writeBytes(START_CODE);
                        out.writeBytes(Base64.getDecoder().decode(set.trim()));
                    } catch (IllegalArgumentException e) {
                        return new byte[0]; // unreadable: the stream repeats its parameter sets in-band
                    }
                }
            }
        }
        return out.toByteArray();
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
        Map<String, String> parameters = new LinkedHashMap<>();
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
                    int eq = param.indexOf('=');
                    if (eq > 0) {
                        parameters.put(param.substring(0, eq).trim().toLowerCase(Locale.ROOT), param.substring(eq + 1).trim());
                    }
                }
            }
        }
        if (!inVideo || payloadType < 0) {
            return Optional.empty();
        }
        return Optional.of(new SdpVideoTrack(payloadType, encoding, control, parameters));
    }

    private static int parseInt(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
