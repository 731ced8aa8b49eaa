package io.visionfleet.common.h264;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("quick")
class NalSplitterTest {
    private final List<byte[]> nals = new ArrayList<>();
    private final List<Long> started = new ArrayList<>();

    private NalSplitter splitter(int max) {
        return new NalSplitter(max, (nal, ms) -> {
            nals.add(nal);
            started.add(ms);
        });
    }

    private static byte[] stream(byte[]... units) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < units.length; i++) {
            out.writeBytes(i % 2 == 0 ? new byte[]{0, 0, 0, 1} : new byte[]{0, 0, 1});
            out.writeBytes(units[i]);
        }
        return out.toByteArray();
    }

    @Test
    void splitsThreeAndFourByteStartCodesKeepingInnerZeros() {
        byte[] sps = {0x67, 0x42, 0, 0x1e, 0, 0, 3, 1};
        byte[] pps = {0x68, (byte) 0xce, 0x3c, (byte) 0x80};
        byte[] idr = {0x65, (byte) 0x88, 0, 0, 0x10, 0x20};
        NalSplitter s = splitter(1024);
        s.feed(stream(sps, pps, idr), 7);
        s.flush();
        assertThat(nals).containsExactly(sps, pps, idr);
        assertThat(started).containsOnly(7L);
    }

    @Test
    void reassemblesUnitsSplitAtEveryPossibleBoundary() {
        Random random = new Random(42);
        byte[][] units = new byte[12][];
        for (int i = 0; i < units.length; i++) {
            units[i] = new byte[1 + random.nextInt(300)];
            random.nextBytes(units[i]);
            units[i][0] = (byte) 0x41;
            for (int j = 2; j < units[i].length; j++) {
                if (units[i][j - 2] == 0 && units[i][j - 1] == 0 && (units[i][j] & 0xff) <= 3) {
                    units[i][j] = 0x55; // what emulation prevention guarantees
                }
            }
            if (units[i][units[i].length - 1] == 0) {
                units[i][units[i].length - 1] = 0x77; // a NAL unit never ends in a zero byte
            }
        }
        byte[] data = stream(units);
        for (int chunk : new int[]{1, 2, 3, 5, 64, data.length}) {
            nals.clear();
            NalSplitter s = splitter(4096);
            for (int off = 0; off < data.length; off += chunk) {
                s.feed(data, off, Math.min(chunk, data.length - off), off);
            }
            s.flush();
            assertThat(nals).as("chunk %d", chunk).containsExactly(units);
        }
    }

    @Test
    void dropsOversizedAndForbiddenUnitsAndCountsThemLeavingTypesToTheCodec() {
        byte[] big = new byte[100];
        big[0] = 0x41;
        java.util.Arrays.fill(big, 1, big.length, (byte) 0x11);
        byte[] forbidden = {(byte) 0xc1, 0x22};
        byte[] reserved = {0x1e, 0x22};
        byte[] good = {0x41, 0x33};
        NalSplitter s = splitter(50);
        s.feed(new byte[]{9, 9, 9}, 0);
        s.feed(stream(big, forbidden, reserved, good), 0);
        s.flush();
        assertThat(nals).containsExactly(reserved, good);
        assertThat(s.droppedNals()).isEqualTo(2);
        assertThat(s.skippedBytes()).isEqualTo(3);
    }

    @Test
    void randomGarbageNeverThrowsAndStaysBounded() {
        Random random = new Random(7);
        byte[] garbage = new byte[1 << 20];
        random.nextBytes(garbage);
        NalSplitter s = splitter(64 * 1024);
        s.feed(garbage, 0);
        s.flush();
        assertThat(nals).allSatisfy(n -> assertThat(n.length).isBetween(1, 64 * 1024));
    }
}
