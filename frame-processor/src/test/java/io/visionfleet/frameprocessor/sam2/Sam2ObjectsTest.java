package io.visionfleet.frameprocessor.sam2;

import io.visionfleet.frameprocessor.engine.EngineObject;
import io.visionfleet.frameprocessor.engine.ObjectStatus;
import io.visionfleet.frameprocessor.geom.Mask;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

/** A session's objects: ids, the point-on-mask test, the memory buffer pool and the per-frame report. */
@Tag("quick")
class Sam2ObjectsTest {
    /** 4x4 logits over a 640x480 frame: one cell is 160x120 pixels. */
    private final Sam2Objects objects = new Sam2Objects(4, 640, 480);

    private static Sam2Object object(String label) {
        return new Sam2Object(16, 2, label, true);
    }

    private static FloatBuffer memory(float value) {
        return Floats.allocate(3).put(0, value);
    }

    @Test
    void objectsGetIdsInCreationOrderAndKeepThemAfterOthersGo() {
        Sam2Object a = object("a");
        Sam2Object b = object("b");
        Sam2Object c = object("c");
        objects.register(a);
        objects.register(b);
        objects.remove(a);
        objects.register(c);
        assertThat(List.of(b.id, c.id)).containsExactly(2L, 3L);
        assertThat(objects.all()).containsExactly(b, c);
        assertThat(objects.get(1)).isNull();
        assertThat(objects.get(3)).isSameAs(c);
    }

    @Test
    void aFramePointIsOnTheMaskWhenTheLogitOfItsCellIsPositive() {
        Sam2Object o = object(null);
        o.logits[1 * 4 + 3] = 0.5f; // row 1 (y 120-239), column 3 (x 480-639)
        assertThat(objects.covers(o, 500, 150)).isTrue();
        assertThat(objects.covers(o, 479.9, 150)).isFalse();
        assertThat(objects.covers(o, 500, 240)).isFalse();
        // points off the frame take the nearest cell
        assertThat(objects.covers(o, 9000, 150)).isTrue();
        o.logits[0] = 1f;
        assertThat(objects.covers(o, -20, -20)).isTrue();
    }

    @Test
    void memoriesABankEvictsOrARemovedObjectHeldAreReusedBeforeNewOnesAreMade() {
        Sam2Object o = object(null);
        objects.register(o);
        o.pointer = new float[]{1};
        List<FloatBuffer> stored = new ArrayList<>();
        for (int f = 0; f <= 7; f++) {
            FloatBuffer m = objects.memoryBuffer(3);
            stored.add(m);
            objects.remember(o, f, f == 0, m.put(0, f));
        }
        // after frame 7 frame 1 is more than 6 frames back for every later frame: its memory is free again
        assertThat(objects.memoryBuffer(3)).isSameAs(stored.get(1));
        assertThat(stored.stream().distinct()).hasSize(8);
        objects.remove(o);
        List<FloatBuffer> reused = List.of(objects.memoryBuffer(3), objects.memoryBuffer(3));
        assertThat(stored).containsAll(reused);
        assertThat(o.bank.size()).isZero();
    }

    @Test
    void anObjectWithoutAMaskIsReportedLostUntilItHasBeenLostTooLongThenRemoved() {
        Sam2Object o = object("car");
        objects.register(o);
        objects.remember(o, 0, true, memory(0.5f));
        o.iou = 1.25f;
        List<Long> removed = new ArrayList<>();
        for (int frame = 1; frame <= 2; frame++) {
            List<EngineObject> report = objects.report(2, removed);
            assertThat(report).singleElement().satisfies(r -> {
                assertThat(r.id()).isEqualTo(1);
                assertThat(r.status()).isEqualTo(ObjectStatus.LOST);
                assertThat(r.mask()).isNull();
                assertThat(r.score()).isEqualTo(1.0); // IoU clamped to [0, 1]
                assertThat(r.label()).isEqualTo("car");
                assertThat(r.prompted()).isTrue();
            });
            assertThat(o.lostFrames).isEqualTo(frame);
        }
        assertThat(objects.report(2, removed)).isEmpty();
        assertThat(removed).containsExactly(1L);
        assertThat(objects.size()).isZero();
        assertThat(objects.memoryBuffer(3).get(0)).isEqualTo(0.5f); // its memory went back to the pool
    }

    @Test
    void anObjectWithAMaskIsConfirmedAndItsLostCountStartsAgain() {
        Sam2Object o = object(null);
        objects.register(o);
        o.lostFrames = 2;
        o.iou = -0.1f;
        try (Mat pixels = new Mat(2, 3, CV_8UC1, new Scalar(255))) {
            o.mask = new Mask(10, 20, pixels, 6);
            List<Long> removed = new ArrayList<>();
            assertThat(objects.report(2, removed)).singleElement().satisfies(r -> {
                assertThat(r.status()).isEqualTo(ObjectStatus.CONFIRMED);
                assertThat(r.mask()).isSameAs(o.mask);
                assertThat(r.score()).isEqualTo(0.0);
            });
            assertThat(o.lostFrames).isZero();
            assertThat(removed).isEmpty();
        }
    }
}
