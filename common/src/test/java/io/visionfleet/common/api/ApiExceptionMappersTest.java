package io.visionfleet.common.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.visionfleet.common.bus.Json;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** What each kind of failure is answered with; the services' API tests check that the mappers are registered. */
@Tag("quick")
class ApiExceptionMappersTest {
    private final ApiExceptionMappers mappers = new ApiExceptionMappers();

    @Test
    void badInputIs400WithItsMessage() {
        assertThat(mappers.badInput(new IllegalArgumentException("pan must be finite")).getEntity())
                .isEqualTo(new ApiError(400, "pan must be finite"));
    }

    @Test
    void unparsableJsonIs400NamingTheProblem() {
        JsonProcessingException e = unparsable("{\"id\":");
        Response wrapped = mappers.refused(new WebApplicationException(e, 400));
        assertThat(wrapped.getStatus()).isEqualTo(400);
        assertThat(((ApiError) wrapped.getEntity()).message()).startsWith("invalid JSON body: Unexpected end-of-input");
    }

    @Test
    void aRefusalKeepsItsStatusMessageAndHeaders() {
        assertThat(mappers.notFound(new NotFoundException("no stream 'x'")).getEntity())
                .isEqualTo(new ApiError(404, "no stream 'x'"));
        Response notAllowed = mappers.refused(new NotAllowedException("GET", new String[]{"HEAD"}));
        assertThat(notAllowed.getEntity()).isEqualTo(new ApiError(405, "HTTP 405 Method Not Allowed"));
        assertThat(notAllowed.getAllowedMethods()).containsExactlyInAnyOrder("GET", "HEAD");
        assertThat(notAllowed.getMediaType().toString()).isEqualTo("application/json");
    }

    @Test
    void aRefusalWithItsOwnBodyIsAnsweredAsIs() {
        Response own = ApiError.response(Response.Status.CONFLICT, "already open");
        assertThat(mappers.refused(new WebApplicationException(own))).isSameAs(own);
    }

    @Test
    void anUnexpectedFailureIs500WithoutItsDetails() {
        Response failed = mappers.unexpected(new IOException("disk /data/secret full"));
        assertThat(failed.getStatus()).isEqualTo(500);
        assertThat(((ApiError) failed.getEntity()).message()).contains("IOException").doesNotContain("secret");
    }

    @Test
    void theBodyIsStatusAndMessage() throws Exception {
        assertThat(Json.MAPPER.writeValueAsString(new ApiError(400, "why"))).isEqualTo("{\"status\":400,\"message\":\"why\"}");
    }

    private static JsonProcessingException unparsable(String json) {
        try {
            Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return e;
        }
        throw new AssertionError("parsed: " + json);
    }
}
