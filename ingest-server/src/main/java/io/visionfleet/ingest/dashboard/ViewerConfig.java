package io.visionfleet.ingest.dashboard;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.visionfleet.common.bus.Json;

/**
 * The text message that tells the page how to play what follows: the codec string for either player, and for
 * fragmented MP4 also the format, picture size and the capture time of presentation time 0.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
record ViewerConfig(String type, String streamId, String codec, String format, Integer width, Integer height, Long baseTs) {
    static ViewerConfig of(String streamId, String codec) {
        return new ViewerConfig("config", streamId, codec, null, null, null, null);
    }

    static ViewerConfig fmp4(String streamId, String codec, int width, int height, long baseTs) {
        return new ViewerConfig("config", streamId, codec, Fmp4Framing.FORMAT, width, height, baseTs);
    }

    String json() {
        try {
            return Json.MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record of strings and numbers always serialises", e);
        }
    }
}
