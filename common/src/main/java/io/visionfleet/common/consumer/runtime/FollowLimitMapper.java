package io.visionfleet.common.consumer.runtime;

import io.visionfleet.common.api.ApiError;
import io.visionfleet.common.consumer.RtspConsumer;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Answers a follow refused at {@code fleet.consumer.max-followed} with 503: a capacity limit, not bad input, so the
 * same request succeeds once a followed stream is stopped. Kept beside the consumer so that the shared mappers of
 * {@code common.api} know nothing of it.
 */
public class FollowLimitMapper {
    @ServerExceptionMapper
    public Response atCapacity(RtspConsumer.FollowLimitReached e) {
        return ApiError.response(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
    }
}
