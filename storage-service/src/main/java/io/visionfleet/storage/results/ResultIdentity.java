package io.visionfleet.storage.results;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What makes two archived results the same result: kind, stream, frame number (-1 for telemetry, which has none),
 * capture time, and a 64-bit hash of the archived line. A redelivery or a publisher's resend is byte-identical, so it
 * has the same identity; the hash keeps distinct messages that share a frame (commands for two cameras) apart.
 */
record ResultIdentity(ResultKind kind, String streamId, long frameNumber, long ts, long lineHash) {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    /** The identity of {@code message}, filed under {@code key}, archived as {@code line} (without its newline). */
    static ResultIdentity of(ResultKind kind, ResultKey key, JsonNode message, byte[] line, int length) {
        JsonNode frame = message.get("frame_number");
        long frameNumber = frame != null && frame.canConvertToLong() ? frame.asLong() : -1;
        return new ResultIdentity(kind, key.streamId(), frameNumber, key.ts(), fnv1a(line, length));
    }

    private static long fnv1a(byte[] bytes, int length) {
        long hash = FNV_OFFSET;
        for (int i = 0; i < length; i++) {
            hash = (hash ^ (bytes[i] & 0xff)) * FNV_PRIME;
        }
        return hash;
    }
}
