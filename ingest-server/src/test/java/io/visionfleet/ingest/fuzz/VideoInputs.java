package io.visionfleet.ingest.fuzz;

import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.ingest.testing.ReferenceClip;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Hostile messages for a video socket: random bytes, pictures cut short or with flipped bits, NAL units with random
 * headers, parameter sets of absurd sizes, tiny fragments, and control messages that are malformed, oversized,
 * of unknown type or with absurd capture times; now and then a valid picture so that the stream has something to
 * assemble the garbage with.
 */
final class VideoInputs {
    private static final byte[] START = {0, 0, 0, 1};
    private static final String[] TEXTS = {"{\"type\":\"video_config\",", "[1,2]", "null", "\"x\"", "{}", "{\"type\":5}",
            "{\"type\":\"launch\"}", "{\"type\":\"video_config\",\"fps\":0}", "{\"type\":\"video_config\",\"fps\":1e308}",
            "{\"type\":\"video_config\",\"width\":-1}", "{\"type\":\"video_config\",\"codec\":\"vp9\"}",
            "{\"type\":\"video_config\",\"fps\":7.5}", "{\"type\":\"access_unit\"}", "{\"type\":\"access_unit\",\"capture_ts\":\"now\"}",
            "{\"type\":\"access_unit\",\"capture_ts\":-1}", "{\"type\":\"access_unit\",\"capture_ts\":9223372036854775807}",
            "{\"type\":\"access_unit\",\"capture_ts\":1e400}", "{\"type\":\"access_unit\",\"capture_ts\":0}",
            "{\"type\":\"access_unit\",\"capture_ts\":0,\"bytes\":0}", "{\"type\":\"access_unit\",\"capture_ts\":0,\"bytes\":2147483648}"};

    private final SplittableRandom random;
    private final List<byte[]> pictures = new ArrayList<>();

    /** One input: a binary message or a text message. */
    record Input(byte[] binary, String text) {
    }

    VideoInputs(SplittableRandom random, ReferenceClip clip) {
        this.random = random;
        for (AccessUnit au : clip.accessUnits()) {
            pictures.add(ReferenceClip.annexB(au));
        }
    }

    Input next() {
        return switch (random.nextInt(9)) {
            case 0 -> binary(bytes(1 + random.nextInt(4096)));
            case 1 -> {
                byte[] picture = picture();
                yield binary(java.util.Arrays.copyOf(picture, random.nextInt(picture.length)));
            }
            case 2 -> {
                byte[] picture = picture().clone();
                for (int flips = 1 + random.nextInt(8); flips > 0; flips--) {
                    picture[random.nextInt(picture.length)] ^= (byte) (1 << random.nextInt(8));
                }
                yield binary(picture);
            }
            case 3 -> binary(concat(START, bytes(1 + random.nextInt(2048))));
            case 4 -> binary(concat(START, new byte[]{0x67}, bytes(absurdParameterSetSize()), pictures.get(0)));
            case 5 -> binary(bytes(1 + random.nextInt(3)));
            case 6 -> text(TEXTS[random.nextInt(TEXTS.length)]);
            case 7 -> text(random.nextInt(4) == 0 ? "{\"type\":\"video_config\",\"pad\":\"" + "x".repeat(5000) + "\"}"
                    : "{\"type\":\"access_unit\",\"capture_ts\":" + (System.currentTimeMillis() + random.nextLong(-60_000, 60_000))
                    + (random.nextBoolean() ? "" : ",\"bytes\":" + (1 + random.nextInt(1 << 20))) + "}");
            default -> binary(picture());
        };
    }

    private int absurdParameterSetSize() {
        return random.nextBoolean() ? random.nextInt(4) : 1025 + random.nextInt(8192);
    }

    private byte[] picture() {
        return pictures.get(random.nextInt(pictures.size()));
    }

    private byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    private static Input binary(byte[] bytes) {
        return new Input(bytes, null);
    }

    private static Input text(String text) {
        return new Input(null, text);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
