package io.visionfleet.common.rtsp;

import io.visionfleet.common.decode.H264Decoder;
import io.visionfleet.common.net.UrlCredentials;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.javacv.Frame;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decoded mode's session for H.264 streams: its own RTSP client ({@link RtspClient}) and RTP depacketizer hand
 * each access unit to the decoder as soon as its last packet (RTP marker bit) arrives. Through FFmpeg's RTSP demuxer
 * a picture waited for the first packet of the next one, a whole frame interval. Capture times, pts and the I/O
 * timeout behave as with {@link RtspSession}; other codecs are read through that.
 */
public final class H264RelaySession implements PictureSession {
    private static final Pattern INTERLEAVED = Pattern.compile("interleaved=(\\d+)(?:-(\\d+))?");
    private static final Pattern SESSION_TIMEOUT = Pattern.compile("timeout=(\\d+)");
    private static final int RTCP_SENDER_REPORT = 200;
    private static final int RTCP_BYE = 203;
    private static final long DEFAULT_SESSION_TIMEOUT_S = 60;

    private final RtspClient client;
    private final String baseUrl;
    private final int payloadType;
    private final int rtpChannel;
    private final int rtcpChannel;
    private final long keepAliveNanos;
    private final long ioTimeoutNanos;
    private final H264Decoder decoder;
    private final H264Depacketizer depacketizer = new H264Depacketizer();
    private final RtpTimeline timeline = new RtpTimeline();
    private long lastKeepAlive = System.nanoTime();

    private H264RelaySession(RtspClient client, String baseUrl, int payloadType, int rtpChannel, int rtcpChannel,
                             long sessionTimeoutS, Duration ioTimeout, H264Decoder decoder) {
        this.client = client;
        this.baseUrl = baseUrl;
        this.payloadType = payloadType;
        this.rtpChannel = rtpChannel;
        this.rtcpChannel = rtcpChannel;
        this.keepAliveNanos = Duration.ofSeconds(sessionTimeoutS).toNanos() / 2;
        this.ioTimeoutNanos = ioTimeout.toNanos();
        this.decoder = decoder;
    }

    /**
     * Plays {@code url} (credentials in its user info are used, never sent in it) when its video is H.264; empty,
     * with nothing left open, when it is another codec.
     */
    public static Optional<H264RelaySession> open(String url, Duration ioTimeout) throws IOException {
        String bare = UrlCredentials.withoutLogin(url);
        RtspClient client = RtspClient.connect(URI.create(bare), UrlCredentials.loginOf(url), ioTimeout);
        H264Decoder decoder = null;
        try {
            RtspClient.Response described = client.request("DESCRIBE", bare, "Accept: application/sdp");
            Optional<SdpVideoTrack> track = SdpVideoTrack.parse(described.body());
            if (track.isEmpty() || !track.get().isH264()) {
                client.close();
                return Optional.empty();
            }
            String base = described.header("content-base").orElse(bare);
            RtspClient.Response setup = client.request("SETUP", track.get().controlUrl(base),
                    "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
            Matcher channels = INTERLEAVED.matcher(setup.header("transport").orElse(""));
            boolean echoed = channels.find();
            int rtp = echoed ? Integer.parseInt(channels.group(1)) : 0;
            int rtcp = echoed && channels.group(2) != null ? Integer.parseInt(channels.group(2)) : rtp + 1;
            Matcher timeout = SESSION_TIMEOUT.matcher(setup.header("session").orElse(""));
            long timeoutS = timeout.find() ? Math.max(2, Long.parseLong(timeout.group(1))) : DEFAULT_SESSION_TIMEOUT_S;
            decoder = new H264Decoder(track.get().parameterSets());
            client.request("PLAY", base, "Range: npt=0.000-");
            return Optional.of(new H264RelaySession(client, base, track.get().payloadType(), rtp, rtcp, timeoutS, ioTimeout,
                    decoder));
        } catch (IOException | RuntimeException e) {
            if (decoder != null) {
                decoder.close();
            }
            client.close();
            throw e;
        }
    }

    /** As FFmpeg: null at end of stream, or when no picture could be decoded for the I/O timeout. */
    @Override
    public Frame grabImage() throws IOException {
        long deadline = System.nanoTime() + ioTimeoutNanos;
        while (System.nanoTime() - deadline < 0) {
            keepAliveIfDue();
            RtspClient.Interleaved frame;
            try {
                frame = client.next();
            } catch (SocketTimeoutException | EOFException e) {
                return null;
            }
            if (frame.channel() == rtcpChannel && !rtcp(frame.data(), frame.length())) {
                return null;
            }
            if (frame.channel() == rtpChannel) {
                Frame picture = rtp(frame.data(), frame.length());
                if (picture != null) {
                    return picture;
                }
            }
        }
        return null;
    }

    @Override
    public long startTimeRealtimeUs() {
        return timeline.startTimeRealtimeUs();
    }

    @Override
    public AVFormatContext formatContext() {
        return null;
    }

    @Override
    public void close() throws IOException {
        try {
            client.close();
        } finally {
            decoder.close();
        }
    }

    /** One RTP packet; the picture it completed, if any. */
    private Frame rtp(byte[] p, int length) {
        if (length < 12 || (p[0] & 0xC0) != 0x80 || (p[1] & 0x7F) != payloadType) {
            return null;
        }
        int offset = 12 + 4 * (p[0] & 0x0F);
        if ((p[0] & 0x10) != 0 && offset + 4 <= length) { // header extension
            offset += 4 + 4 * (((p[offset + 2] & 0xFF) << 8) | (p[offset + 3] & 0xFF));
        }
        int end = (p[0] & 0x20) != 0 ? length - (p[length - 1] & 0xFF) : length; // padding
        if (offset >= end) {
            return null;
        }
        int sequence = ((p[2] & 0xFF) << 8) | (p[3] & 0xFF);
        long rtpTime = readUint32(p, 4);
        long pts = timeline.pts(rtpTime);
        boolean marker = (p[1] & 0x80) != 0;
        if (!depacketizer.add(p, offset, end - offset, sequence, rtpTime, marker)) {
            return null;
        }
        Frame picture = decoder.decode(depacketizer.accessUnit(), depacketizer.length());
        if (picture != null) {
            picture.timestamp = RtpTimeline.ptsMicros(pts);
        }
        return picture;
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
