package io.visionfleet.common.rtsp;

import io.visionfleet.common.h264.VideoCodec;
import io.visionfleet.common.net.UrlCredentials;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fleet's one RTSP reader: plays the video track of an H.264 or H.265 stream over TCP ({@link RtspClient}) and
 * hands out each access unit as soon as its last packet (RTP marker bit) arrives, with its presentation time and
 * the session's wall-clock anchor computed as FFmpeg's RTSP demuxer computes them ({@link RtpTimeline}). Decoded
 * mode decodes what it reads ({@link DecodingSession}); packet mode hands it on undecoded ({@link PacketSession}).
 */
final class RtspPlayback implements AutoCloseable {
    private static final Pattern INTERLEAVED = Pattern.compile("interleaved=(\\d+)(?:-(\\d+))?");
    private static final Pattern SESSION_TIMEOUT = Pattern.compile("timeout=(\\d+)");
    private static final int RTCP_SENDER_REPORT = 200;
    private static final int RTCP_BYE = 203;
    private static final long DEFAULT_SESSION_TIMEOUT_S = 60;

    private final RtspClient client;
    private final String baseUrl;
    private final SdpVideoTrack track;
    private final VideoCodec codec;
    private final int rtpChannel;
    private final int rtcpChannel;
    private final long keepAliveNanos;
    private final long ioTimeoutNanos;
    private final RtpDepacketizer depacketizer;
    private final RtpTimeline timeline = new RtpTimeline();
    private long lastKeepAlive = System.nanoTime();
    private long pts;

    private RtspPlayback(RtspClient client, String baseUrl, SdpVideoTrack track, VideoCodec codec, int rtpChannel,
                        int rtcpChannel, long sessionTimeoutS, Duration ioTimeout) {
        this.client = client;
        this.baseUrl = baseUrl;
        this.track = track;
        this.codec = codec;
        this.rtpChannel = rtpChannel;
        this.rtcpChannel = rtcpChannel;
        this.keepAliveNanos = Duration.ofSeconds(sessionTimeoutS).toNanos() / 2;
        this.ioTimeoutNanos = ioTimeout.toNanos();
        this.depacketizer = new RtpDepacketizer(codec);
    }

    /**
     * Plays {@code url}'s video track (credentials in its user info are used, never sent in it). Fails, with nothing
     * left open, when the server refuses or its video is neither H.264 nor H.265.
     */
    static RtspPlayback open(String url, Duration ioTimeout) throws IOException {
        String bare = UrlCredentials.withoutLogin(url);
        RtspClient client = RtspClient.connect(URI.create(bare), UrlCredentials.loginOf(url), ioTimeout);
        try {
            RtspClient.Response described = client.request("DESCRIBE", bare, "Accept: application/sdp");
            SdpVideoTrack track = SdpVideoTrack.parse(described.body())
                    .orElseThrow(() -> new IOException("the session description has no video track"));
            VideoCodec codec = track.codec()
                    .orElseThrow(() -> new IOException("video is " + track.encoding() + ", neither H.264 nor H.265"));
            String base = described.header("content-base").orElse(bare);
            RtspClient.Response setup = client.request("SETUP", track.controlUrl(base),
                    "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
            Matcher channels = INTERLEAVED.matcher(setup.header("transport").orElse(""));
            boolean echoed = channels.find();
            int rtp = echoed ? Integer.parseInt(channels.group(1)) : 0;
            int rtcp = echoed && channels.group(2) != null ? Integer.parseInt(channels.group(2)) : rtp + 1;
            Matcher timeout = SESSION_TIMEOUT.matcher(setup.header("session").orElse(""));
            long timeoutS = timeout.find() ? Math.max(2, Long.parseLong(timeout.group(1))) : DEFAULT_SESSION_TIMEOUT_S;
            client.request("PLAY", base, "Range: npt=0.000-");
            return new RtspPlayback(client, base, track, codec, rtp, rtcp, timeoutS, ioTimeout);
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    VideoCodec codec() {
        return codec;
    }

    /** The parameter sets of the session description (Annex B), empty when they only come in-band. */
    byte[] parameterSets() {
        return track.parameterSets();
    }

    /** {@link System#nanoTime()} one I/O timeout from now: the deadline of a read that waits for one item. */
    long deadline() {
        return System.nanoTime() + ioTimeoutNanos;
    }

    /**
     * Reads until an access unit is complete: true with it in {@link #accessUnit()} up to {@link #length()} (valid
     * until the next call), false at end of stream or when none completed by {@code deadlineNanos}.
     */
    boolean next(long deadlineNanos) throws IOException {
        while (System.nanoTime() - deadlineNanos < 0) {
            keepAliveIfDue();
            RtspClient.Interleaved frame;
            try {
                frame = client.next();
            } catch (SocketTimeoutException | EOFException e) {
                return false;
            }
            if (frame.channel() == rtcpChannel && !rtcp(frame.data(), frame.length())) {
                return false;
            }
            if (frame.channel() == rtpChannel && rtp(frame.data(), frame.length())) {
                return true;
            }
        }
        return false;
    }

    byte[] accessUnit() {
        return depacketizer.accessUnit();
    }

    int length() {
        return depacketizer.length();
    }

    /** Whether the access unit is a picture no other picture refers to. */
    boolean nonReference() {
        return depacketizer.nonReference();
    }

    /** Whether the access unit holds a random access point (H.264 IDR, H.265 IRAP). */
    boolean keyFrame() {
        return depacketizer.randomAccess();
    }

    /** The access unit's presentation time in 90 kHz ticks since the session's origin. */
    long pts() {
        return pts;
    }

    /** Wall-clock time of pts 0 from the first RTCP sender report, or {@code AV_NOPTS_VALUE} before one arrived. */
    long startTimeRealtimeUs() {
        return timeline.startTimeRealtimeUs();
    }

    @Override
    public void close() throws IOException {
        client.close();
    }

    /** One RTP packet: true when it completed an access unit. */
    private boolean rtp(byte[] p, int length) {
        if (length < 12 || (p[0] & 0xC0) != 0x80 || (p[1] & 0x7F) != track.payloadType()) {
            return false;
        }
        int offset = 12 + 4 * (p[0] & 0x0F);
        if ((p[0] & 0x10) != 0 && offset + 4 <= length) { // header extension
            offset += 4 + 4 * (((p[offset + 2] & 0xFF) << 8) | (p[offset + 3] & 0xFF));
        }
        int end = (p[0] & 0x20) != 0 ? length - (p[length - 1] & 0xFF) : length; // padding
        if (offset >= end) {
            return false;
        }
        int sequence = ((p[2] & 0xFF) << 8) | (p[3] & 0xFF);
        long rtpTime = readUint32(p, 4);
        long packetPts = timeline.pts(rtpTime);
        boolean marker = (p[1] & 0x80) != 0;
        if (!depacketizer.add(p, offset, end - offset, sequence, rtpTime, marker)) {
            return false;
        }
        pts = packetPts;
        return true;
    }

    /** A compound RTCP packet: anchors the clock at the first sender report; false at a BYE. */
    private boolean rtcp(byte[] p, int length) {
        for (int at = 0; at + 4 <= length; ) {
            int type = p[at + 1] & 0xFF;
            int size = 4 * ((((p[at + 2] & 0xFF) << 8) | (p[at + 3] & 0xFF)) + 1);
            if (type == RTCP_BYE) {
                return false;
            }
            if (type == RTCP_SENDER_REPORT && at + 20 <= length) {
                timeline.senderReport((readUint32(p, at + 8) << 32) | readUint32(p, at + 12), readUint32(p, at + 16));
            }
            at += size;
        }
        return true;
    }

    /** RTSP sessions expire without requests; the relay answers GET_PARAMETER between the interleaved frames. */
    private void keepAliveIfDue() throws IOException {
        long now = System.nanoTime();
        if (now - lastKeepAlive > keepAliveNanos) {
            lastKeepAlive = now;
            client.send("GET_PARAMETER", baseUrl);
        }
    }

    private static long readUint32(byte[] p, int at) {
        return ((p[at] & 0xFFL) << 24) | ((p[at + 1] & 0xFFL) << 16) | ((p[at + 2] & 0xFFL) << 8) | (p[at + 3] & 0xFFL);
    }
}
