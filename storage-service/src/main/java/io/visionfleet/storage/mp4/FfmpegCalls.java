package io.visionfleet.storage.mp4;

import org.bytedeco.javacpp.BytePointer;

import java.io.IOException;

import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

/** Turns FFmpeg's negative return codes into exceptions that say which call failed and why. */
final class FfmpegCalls {
    private FfmpegCalls() {
    }

    /** Returns {@code ret} when it is not an error; throws naming {@code what} otherwise. */
    static int check(int ret, String what) throws IOException {
        if (ret < 0) {
            throw new IOException(what + " failed: " + describe(ret));
        }
        return ret;
    }

    static String describe(int ret) {
        try (BytePointer text = new BytePointer(128)) {
            return av_strerror(ret, text, 128) == 0 ? text.getString() + " (" + ret + ")" : "error " + ret;
        }
    }
}
