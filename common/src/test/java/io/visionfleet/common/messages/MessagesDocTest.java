package io.visionfleet.common.messages;

import com.fasterxml.jackson.databind.JsonNode;
import io.visionfleet.common.bus.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps docs/messages.md honest: every example must map onto its record field for field, both ways. */
@Tag("quick")
class MessagesDocTest {
    private static final Map<String, Class<?>> RECORDS = Map.of(
            StreamEvent.SCHEMA, StreamEvent.class,
            TelemetrySample.SCHEMA, TelemetrySample.class,
            ProcessedFrame.SCHEMA, ProcessedFrame.class,
            SlamResult.SCHEMA, SlamResult.class,
            PtzCommand.SCHEMA, PtzCommand.class,
            RecordingClosed.SCHEMA, RecordingClosed.class);

    /** A long field reads back as a LongNode while the parsed example holds an IntNode: compare numbers by value. */
    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) ->
            a.isNumber() && b.isNumber() ? a.decimalValue().compareTo(b.decimalValue()) : (a.equals(b) ? 0 : 1);

    @Test
    void everyDocumentedExampleRoundTripsThroughItsRecord() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "messages.md"));
        Matcher blocks = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        List<String> schemas = new ArrayList<>();
        while (blocks.find()) {
            JsonNode example = Json.MAPPER.readTree(blocks.group(1));
            String schema = example.get("schema").asText();
            Class<?> type = RECORDS.get(schema);
            assertThat(type).as("record for schema %s", schema).isNotNull();
            Object record = Json.MAPPER.treeToValue(example, type);
            JsonNode back = Json.MAPPER.valueToTree(record);
            assertThat(back.equals(NUMBERS_BY_VALUE, example)).as("round trip of %s: %s", schema, back).isTrue();
            schemas.add(schema);
        }
        assertThat(schemas).containsExactlyInAnyOrderElementsOf(RECORDS.keySet());
    }
}
