package io.visionfleet.ingest.relay;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("quick")
class InterleavedTransportTest {

    @Test
    void choosesTheFirstTcpTransportWithItsChannels() {
        assertThat(InterleavedTransport.choose("RTP/AVP/TCP;unicast;interleaved=0-1"))
                .contains(new InterleavedTransport(0, 1));
        assertThat(InterleavedTransport.choose("RTP/AVP;unicast;client_port=5000-5001,RTP/AVP/TCP;unicast;interleaved=4-5"))
                .contains(new InterleavedTransport(4, 5));
        assertThat(InterleavedTransport.choose("rtp/avp/tcp;interleaved=6")).contains(new InterleavedTransport(6, 7));
        assertThat(InterleavedTransport.choose("RTP/AVP/TCP;unicast")).contains(new InterleavedTransport(0, 1));
    }

    @Test
    void offersWithoutTcpYieldNothing() {
        assertThat(InterleavedTransport.choose("RTP/AVP;unicast;client_port=5000-5001")).isEmpty();
        assertThat(InterleavedTransport.choose("RTP/AVP/UDP;multicast")).isEmpty();
        assertThat(InterleavedTransport.choose(null)).isEmpty();
    }

    @Test
    void rejectsChannelsOutOfRange() {
        for (String bad : new String[]{"interleaved=255", "interleaved=300-301", "interleaved=a-b", "interleaved=1-1",
                "interleaved=1-2-3", "interleaved="}) {
            assertThatThrownBy(() -> InterleavedTransport.choose("RTP/AVP/TCP;" + bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void answersExactlyOneTransport() {
        assertThat(new InterleavedTransport(2, 3).header()).isEqualTo("RTP/AVP/TCP;unicast;interleaved=2-3");
    }
}
