package io.visionfleet.busprobe;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where each acknowledgement of one incoming channel lands. The connector acknowledges a message by its delivery tag
 * on its client's current AMQP channel ({@code ClientHolder.getAck}), whichever channel delivered it. Tags count up
 * from 1 on every channel, so a tag not above the last one marks a new channel (a generation), and an
 * acknowledgement of an older generation's tag is stale. On the new channel a stale tag either names a message that
 * channel delivered and nobody acknowledged yet, which the broker then drops (acknowledged by accident, before its
 * own acknowledgement and so before it was safely stored), or no unacknowledged message, which the broker answers by
 * closing the channel ({@code PRECONDITION_FAILED - unknown delivery tag}).
 *
 * <p>The generation is known only once the new channel delivers; a stale acknowledgement sent before that is counted
 * as its channel's own, so {@code stale_acks} is a lower bound (the broker's errors are in the probe's log).
 */
final class AckLedger {
    /** One delivery: the message's sequence number, its tag and the generation of the channel that delivered it. */
    record Delivery(long seq, long tag, long generation) {
    }

    private long generation;
    private long lastTag;
    /** The current generation's deliveries not acknowledged yet, by tag. */
    private final Map<Long, Delivery> unacked = new HashMap<>();
    /** Messages the broker dropped on another message's stale tag and whose own acknowledgement was not sent yet. */
    private final Set<Long> droppedUnacked = new TreeSet<>();
    private long staleAcks;
    private long accidental;
    private long unknownTags;
    private long tagsAckedTwice;

    synchronized Delivery delivered(long seq, long tag) {
        if (tag <= lastTag) {
            generation++;
            unacked.clear();
        }
        lastTag = tag;
        Delivery d = new Delivery(seq, tag, generation);
        unacked.put(tag, d);
        return d;
    }

    /** Records where the acknowledgement of {@code d}, about to be sent, lands. */
    synchronized void acking(Delivery d) {
        droppedUnacked.remove(d.seq());
        if (d.generation() == generation) {
            if (unacked.remove(d.tag()) == null) {
                tagsAckedTwice++; // a stale acknowledgement took its tag: the broker closes the channel
            }
            return;
        }
        staleAcks++;
        Delivery hit = unacked.remove(d.tag());
        if (hit == null) {
            unknownTags++;
        } else {
            accidental++;
            droppedUnacked.add(hit.seq());
        }
    }

    synchronized Map<String, Object> stats(String prefix) {
        return Map.of(prefix + "generations", generation + 1, prefix + "stale_acks", staleAcks,
                prefix + "acked_by_accident", accidental, prefix + "stale_unknown_tags", unknownTags,
                prefix + "tags_acked_twice", tagsAckedTwice, prefix + "dropped_unacked", List.copyOf(droppedUnacked),
                prefix + "unacked", unacked.values().stream().map(Delivery::seq).sorted().toList());
    }
}
