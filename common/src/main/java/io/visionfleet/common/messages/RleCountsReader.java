package io.visionfleet.common.messages;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import java.io.IOException;

/** Reads RLE counts in either COCO form, the compressed string or an array of ints, as the compressed string. */
public final class RleCountsReader extends StdDeserializer<String> {
    public RleCountsReader() {
        super(String.class);
    }

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
        return switch (p.currentToken()) {
            case START_ARRAY -> RleString.compress(ctx.readValue(p, int[].class));
            case VALUE_STRING -> p.getText();
            default -> (String) ctx.handleUnexpectedToken(String.class, p);
        };
    }
}
