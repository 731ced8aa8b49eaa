package io.visionfleet.frameprocessor.pipeline;

import io.visionfleet.common.messages.ObjectEvent;
import io.visionfleet.frameprocessor.detect.Detection;
import io.visionfleet.frameprocessor.engine.EngineObject;
import io.visionfleet.frameprocessor.engine.EngineResult;
import io.visionfleet.frameprocessor.engine.ObjectStatus;
import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.geom.Mask;
import io.visionfleet.frameprocessor.output.PublishedObject;
import io.visionfleet.frameprocessor.prompt.Mode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The tracks stage: what is published, with which label, and the life-cycle events. */
@Tag("quick")
class TrackBookTest {
    private static final Box BOX = new Box(100, 100, 50, 40);
    private static final Mask MASK = new Mask(100, 100, null, 2000);

    private final TrackBook book = new TrackBook();

    @Test
    void objectsAreAnnouncedLostRecoveredAndRemovedOnce() {
        assertThat(events(update(List.of(object(7, ObjectStatus.TENTATIVE)), List.of()))).isEmpty();
        assertThat(events(update(List.of(object(7, ObjectStatus.CONFIRMED)), List.of()))).containsExactly("7 new object");
        assertThat(events(update(List.of(object(7, ObjectStatus.CONFIRMED)), List.of()))).isEmpty();
        assertThat(events(update(List.of(object(7, ObjectStatus.LOST)), List.of()))).containsExactly("7 lost object");
        assertThat(events(update(List.of(object(7, ObjectStatus.LOST)), List.of()))).isEmpty();
        assertThat(events(update(List.of(object(7, ObjectStatus.CONFIRMED)), List.of()))).containsExactly("7 recovered object");
        assertThat(events(book.update(new EngineResult(List.of(), List.of(7L), List.of()), List.of(), Mode.AUTOMATIC)))
                .containsExactly("7 removed object");
        assertThat(events(book.update(new EngineResult(List.of(), List.of(7L), List.of()), List.of(), Mode.AUTOMATIC))).isEmpty();
    }

    @Test
    void detectionsLabelObjectsByVoteAndLendThemTheirScore() {
        Detection person = new Detection(new Box(102, 98, 50, 42), 0, "person", 0.8);
        Detection farAway = new Detection(new Box(300, 300, 50, 40), 2, "car", 0.99);
        TrackBook.Update first = update(List.of(object(1, ObjectStatus.CONFIRMED)), List.of(person, farAway));
        assertThat(first.published()).extracting(PublishedObject::label).containsExactly("person");
        assertThat(first.published().get(0).score()).isEqualTo(0.8);
        assertThat(first.events()).containsExactly(new ObjectEvent(1, ObjectEvent.NEW, "person"));
        // one weaker vote for another class does not flip the label; frames without detections keep it
        Detection dog = new Detection(new Box(101, 100, 50, 40), 16, "dog", 0.5);
        assertThat(update(List.of(object(1, ObjectStatus.CONFIRMED)), List.of(dog)).published().get(0).label()).isEqualTo("person");
        TrackBook.Update plain = update(List.of(object(1, ObjectStatus.CONFIRMED)), List.of());
        assertThat(plain.published().get(0).label()).isEqualTo("person");
        assertThat(plain.published().get(0).score()).isEqualTo(0.6);
    }

    @Test
    void interactiveModePublishesOnlyPromptedObjectsAndEndsTheOthers() {
        update(List.of(object(1, ObjectStatus.CONFIRMED), prompted(2)), List.of());
        TrackBook.Update interactive = book.update(new EngineResult(List.of(object(1, ObjectStatus.CONFIRMED), prompted(2)),
                List.of(), List.of()), List.of(), Mode.INTERACTIVE);
        assertThat(interactive.published()).extracting(PublishedObject::id).containsExactly(2L);
        assertThat(interactive.events()).containsExactly(new ObjectEvent(1, ObjectEvent.REMOVED, "object"));
    }

    private TrackBook.Update update(List<EngineObject> objects, List<Detection> detections) {
        return book.update(new EngineResult(objects, List.of(), List.of()), detections, Mode.AUTOMATIC);
    }

    private static List<String> events(TrackBook.Update update) {
        return update.events().stream().map(e -> e.objectId() + " " + e.event() + " " + e.label()).toList();
    }

    private static EngineObject object(long id, ObjectStatus status) {
        return new EngineObject(status == ObjectStatus.TENTATIVE ? 0 : id, status, BOX,
                status == ObjectStatus.CONFIRMED ? MASK : null, 0.6, null, false);
    }

    private static EngineObject prompted(long id) {
        return new EngineObject(id, ObjectStatus.CONFIRMED, BOX, MASK, 0.9, "cart", true);
    }
}
