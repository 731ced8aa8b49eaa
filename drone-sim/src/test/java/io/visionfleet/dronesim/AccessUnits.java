package io.visionfleet.dronesim;

import io.visionfleet.common.h264.AccessUnit;
import io.visionfleet.common.h264.AccessUnitAssembler;
import io.visionfleet.common.h264.NalSplitter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Reassembles received WebSocket messages the way the ingest server does, and compares pictures. */
final class AccessUnits {
    private AccessUnits() {
    }

    /** The pictures in the binary messages; text messages between them are skipped. */
    static List<AccessUnit> reassemble(List<RecordingWsServer.Message> messages) {
        List<AccessUnit> units = new ArrayList<>();
        AccessUnitAssembler assembler = new AccessUnitAssembler(units::add);
        NalSplitter splitter = new NalSplitter(16 << 20, assembler::accept);
        for (RecordingWsServer.Message m : messages) {
            if (m.isBinary()) {
                splitter.feed(m.binary(), 0);
            }
        }
        splitter.flush();
        assembler.flush();
        assertThat(splitter.droppedNals()).as("malformed NAL units in what arrived").isZero();
        return units;
    }

    /** The same NAL units in the same order, picture by picture. */
    static void assertSame(List<AccessUnit> actual, List<AccessUnit> expected) {
        assertThat(actual).as("pictures received").hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            List<byte[]> a = actual.get(i).nalUnits();
            List<byte[]> e = expected.get(i).nalUnits();
            if (a.size() != e.size()) {
                fail("picture %d has %d NAL units, expected %d", i, a.size(), e.size());
            }
            for (int k = 0; k < e.size(); k++) {
                if (!Arrays.equals(a.get(k), e.get(k))) {
                    fail("picture %d NAL unit %d differs (%d bytes, expected %d)", i, k, a.get(k).length, e.get(k).length);
                }
            }
        }
    }
}
