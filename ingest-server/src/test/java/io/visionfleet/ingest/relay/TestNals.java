package io.visionfleet.ingest.relay;

import io.visionfleet.common.h264.AccessUnit;

import java.util.List;
import java.util.Random;

/** Hand-made H.264 NAL units for tests that check framing, not decoding. */
final class TestNals {
    /** Baseline profile (66), constraint flags 0xc0, level 3.0 (30). */
    static final byte[] SPS = {0x67, 0x42, (byte) 0xc0, 0x1e, (byte) 0xd9, 0x00, (byte) 0xa0, 0x47, (byte) 0xfe, (byte) 0xc8};
    static final byte[] PPS = {0x68, (byte) 0xce, 0x3c, (byte) 0x80};
    static final byte[] AUD = {0x09, (byte) 0xf0};

    private TestNals() {
    }

    static byte[] nal(int header, int size, long seed) {
        byte[] nal = new byte[size];
        new Random(seed).nextBytes(nal);
        nal[0] = (byte) header;
        return nal;
    }

    static byte[] idrSlice(int size) {
        return nal(0x65, size, size);
    }

    static byte[] pSlice(int size) {
        return nal(0x41, size, size + 1);
    }

    static AccessUnit idr(long captureTs, int size) {
        return new AccessUnit(List.of(SPS, PPS, idrSlice(size)), captureTs);
    }

    static AccessUnit p(long captureTs, int size) {
        return new AccessUnit(List.of(pSlice(size)), captureTs);
    }
}
