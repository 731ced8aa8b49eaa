package io.visionfleet.ingest.relay;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("quick")
class RtspMethodTest {

    @Test
    void optionsListsTheServedMethods() {
        assertThat(RtspMethod.PUBLIC).isEqualTo("OPTIONS, DESCRIBE, SETUP, PLAY, GET_PARAMETER, TEARDOWN");
    }

    @Test
    void servedMethodsAreFoundByTheirExactName() {
        assertThat(RtspMethod.of("GET_PARAMETER")).isEqualTo(RtspMethod.GET_PARAMETER);
        assertThat(RtspMethod.of("TEARDOWN")).isEqualTo(RtspMethod.TEARDOWN);
        assertThatThrownBy(() -> RtspMethod.of("describe")).as("RTSP methods are case-sensitive")
                .isInstanceOfSatisfying(RtspException.class, e -> assertThat(e.status().code()).isEqualTo(501));
    }

    @Test
    void rtspMethodsOfAPublisherOrPauseGet405AndOthers501() {
        for (String unserved : new String[]{"ANNOUNCE", "RECORD", "PAUSE", "SET_PARAMETER", "REDIRECT"}) {
            assertThatThrownBy(() -> RtspMethod.of(unserved)).as(unserved)
                    .isInstanceOfSatisfying(RtspException.class, e -> assertThat(e.status().code()).isEqualTo(405))
                    .hasMessage(unserved + " is not served by this relay");
        }
        assertThatThrownBy(() -> RtspMethod.of("GET")).isInstanceOfSatisfying(RtspException.class,
                e -> assertThat(e.status().code()).isEqualTo(501)).hasMessage("unknown method GET");
    }
}
