package io.visionfleet.ingest.relay;

import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import io.visionfleet.common.h264.VideoCodec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("quick")
class RtspServerSessionTest {
    /** What FFmpeg ({@code -rtsp_transport tcp}), GStreamer's rtspsrc ({@code protocols=tcp}) and VLC ({@code --rtsp-tcp}) send. */
    private static final InterleavedTransport CLIENT_TCP =
            InterleavedTransport.choose("RTP/AVP/TCP;unicast;interleaved=0-1").orElseThrow();

    private final RtspServerSession session = new RtspServerSession();

    @Test
    void setupGivesASessionIdThatPlayAndTeardownMustName() {
        assertThat(session.state()).isEqualTo(RtspServerSession.State.INIT);
        assertThat(session.id()).isNull();

        session.checkSetup(null);
        session.setUp("drone", VideoCodec.H264, CLIENT_TCP);

        assertThat(session.state()).isEqualTo(RtspServerSession.State.READY);
        assertThat(session.id()).matches("[0-9a-f]{16}");
        assertThat(session.setupHeader(60)).isEqualTo(session.id() + ";timeout=60");
        assertThat(session.streamId()).isEqualTo("drone");
        assertThat(session.transport()).isEqualTo(new InterleavedTransport(0, 1));
        // clients echo the header as SETUP answered it, timeout included
        session.checkPlay(session.setupHeader(60));
        session.started();
        assertThat(session.playing()).isTrue();
        session.checkNames(session.id(), true);
    }

    @Test
    void aSecondSetupBeforePlayKeepsTheSessionId() {
        session.setUp("drone", VideoCodec.H264, CLIENT_TCP);
        String id = session.id();

        session.checkSetup(id);
        session.setUp("drone", VideoCodec.H264, new InterleavedTransport(2, 3));

        assertThat(session.id()).isEqualTo(id);
        assertThat(session.transport()).isEqualTo(new InterleavedTransport(2, 3));
    }

    @Test
    void requestsOutOfOrderGet455() {
        assertThat(status(() -> session.checkPlay(null))).isEqualTo(RtspResponseStatuses.METHOD_NOT_VALID.code());

        session.setUp("drone", VideoCodec.H264, CLIENT_TCP);
        session.started();

        assertThatThrownBy(() -> session.checkSetup(session.id())).isInstanceOf(RtspException.class)
                .hasMessage("SETUP while playing; TEARDOWN first");
    }

    @Test
    void aForeignOrMissingSessionGets454() {
        session.setUp("drone", VideoCodec.H264, CLIENT_TCP);

        assertThat(status(() -> session.checkNames("0123456789abcdef", false))).isEqualTo(454);
        assertThat(status(() -> session.checkPlay(null))).isEqualTo(454);
        assertThat(status(() -> session.checkNames(null, true))).isEqualTo(454);
        session.checkNames(null, false);
    }

    @Test
    void teardownReturnsToInitAndTheNextSetupStartsANewSession() {
        session.setUp("drone", VideoCodec.H264, CLIENT_TCP);
        String first = session.id();
        session.started();

        session.tearDown();

        assertThat(session.state()).isEqualTo(RtspServerSession.State.INIT);
        assertThat(session.id()).isNull();
        assertThat(session.streamId()).isNull();
        assertThat(status(() -> session.checkNames(first, false))).as("the old id").isEqualTo(454);
        session.setUp("drone", VideoCodec.H264, CLIENT_TCP);
        assertThat(session.id()).isNotEqualTo(first);
    }

    @Test
    void theSessionExpectsTheCodecItsDescribeAnswered() {
        session.described("drone", VideoCodec.H265);

        // the publisher switched to H.264 between DESCRIBE and SETUP: PLAY must not start on the old SDP
        session.setUp("drone", VideoCodec.H264, CLIENT_TCP);
        assertThat(session.codec()).isEqualTo(VideoCodec.H265);

        session.setUp("cam", VideoCodec.H264, CLIENT_TCP);
        assertThat(session.codec()).as("a stream set up without DESCRIBE").isEqualTo(VideoCodec.H264);
    }

    @Test
    void onlyRequestsNamingTheSessionGetItEchoed() {
        assertThat(session.echo("whatever")).as("no session yet").isNull();

        session.setUp("drone", VideoCodec.H264, CLIENT_TCP);

        assertThat(session.echo(session.id() + ";timeout=60")).isEqualTo(session.id());
        assertThat(session.echo(null)).isNull();
    }

    private static int status(Runnable check) {
        try {
            check.run();
        } catch (RtspException e) {
            return e.status().code();
        }
        throw new AssertionError("no RtspException");
    }
}
