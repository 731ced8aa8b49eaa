package io.visionfleet.frameprocessor.pipeline;

import io.visionfleet.common.messages.ObjectEvent;
import io.visionfleet.frameprocessor.detect.Detection;
import io.visionfleet.frameprocessor.engine.EngineObject;
import io.visionfleet.frameprocessor.engine.EngineResult;
import io.visionfleet.frameprocessor.engine.ObjectStatus;
import io.visionfleet.frameprocessor.output.PublishedObject;
import io.visionfleet.frameprocessor.prompt.Mode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tracks stage, the same for every engine: decides which objects are published (confirmed and visible; in
 * interactive mode only prompted ones), gives them class labels and turns status changes into life-cycle events.
 *
 * <p>Labels: a detection overlapping an object (IoU at least 0.5) votes for its class with its score; an object
 * carries the class with the most votes so far, and the matching detection's score while one matches. Without
 * detections it keeps the engine's label, or {@value #DEFAULT_LABEL}.
 */
final class TrackBook {
    static final String DEFAULT_LABEL = "object";
    private static final double LABEL_IOU = 0.5;

    private final Map<Long, Entry> entries = new HashMap<>();

    /** What the tracks stage produced for one frame. */
    record Update(List<PublishedObject> published, List<ObjectEvent> events) {
    }

    private static final class Entry {
        final Map<String, Double> votes = new HashMap<>();
        boolean lost;
        String label;
    }

    Update update(EngineResult result, List<Detection> detections, Mode mode) {
        List<PublishedObject> published = new ArrayList<>();
        List<ObjectEvent> events = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (EngineObject o : result.objects()) {
            if (o.id() == 0 || o.status() == ObjectStatus.TENTATIVE || (mode == Mode.INTERACTIVE && !o.prompted())) {
                continue;
            }
            seen.add(o.id());
            Entry entry = entries.get(o.id());
            boolean visible = o.status() == ObjectStatus.CONFIRMED && o.mask() != null;
            if (entry == null) {
                if (!visible) {
                    continue;
                }
                entry = new Entry();
                entries.put(o.id(), entry);
                if (o.label() != null) {
                    entry.votes.merge(o.label(), o.score(), Double::sum);
                }
                Detection match = vote(entry, o, detections);
                entry.label = label(entry, o);
                events.add(new ObjectEvent(o.id(), ObjectEvent.NEW, entry.label));
                published.add(new PublishedObject(o.id(), entry.label, match != null ? match.score() : o.score(), o.box(), o.mask()));
                continue;
            }
            if (!visible) {
                if (!entry.lost) {
                    entry.lost = true;
                    events.add(new ObjectEvent(o.id(), ObjectEvent.LOST, entry.label));
                }
                continue;
            }
            Detection match = vote(entry, o, detections);
            entry.label = label(entry, o);
            if (entry.lost) {
                entry.lost = false;
                events.add(new ObjectEvent(o.id(), ObjectEvent.RECOVERED, entry.label));
            }
            published.add(new PublishedObject(o.id(), entry.label, match != null ? match.score() : o.score(), o.box(), o.mask()));
        }
        for (Long id : result.removed()) {
            Entry entry = entries.remove(id);
            if (entry != null) {
                events.add(new ObjectEvent(id, ObjectEvent.REMOVED, entry.label));
            }
        }
        // objects hidden by a switch to interactive mode, or dropped by the engine without a removal, end here
        for (var it = entries.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!seen.contains(e.getKey())) {
                events.add(new ObjectEvent(e.getKey(), ObjectEvent.REMOVED, e.getValue().label));
                it.remove();
            }
        }
        return new Update(published, events);
    }

    private static Detection vote(Entry entry, EngineObject o, List<Detection> detections) {
        Detection best = null;
        double bestIou = LABEL_IOU;
        for (Detection d : detections) {
            double iou = d.box().iou(o.box());
            if (iou >= bestIou) {
                bestIou = iou;
                best = d;
            }
        }
        if (best != null) {
            entry.votes.merge(best.label(), best.score(), Double::sum);
        }
        return best;
    }

    private static String label(Entry entry, EngineObject o) {
        return entry.votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElse(o.label() != null ? o.label() : DEFAULT_LABEL);
    }
}
