package io.visionfleet.common.consumer.ownership;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/**
 * One replica's part in stream ownership, served by {@code GET /ownership} and in readiness data.
 *
 * @param group      replicas that share streams
 * @param replica    this replica
 * @param connected  whether its lease connection is open (without it, it owns nothing)
 * @param replicas   live replicas of the group, this one included
 * @param maxStreams the configured cap, 0 for none
 * @param limit      streams it takes now: its share of the known streams by capacity, capped
 * @param capacity   streams it says it carries at full rate (measured from its load; the others' mean before that)
 * @param groupCapacity what all live replicas say they carry
 * @param owned      streams it holds the lease of and processes
 * @param waiting    streams it knows that another replica owns, or that no replica has room for
 * @param problem    why the last round failed, null when it did not
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@RegisterForReflection
public record OwnershipView(String group, String replica, boolean connected, int replicas, int maxStreams, int limit,
                            int capacity, int groupCapacity, List<String> owned, List<String> waiting, String problem) {
}
