package io.visionfleet.storage.archive;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One saved frame of a session ({@code frames[]} of metadata.json, as the original drone system listed them).
 *
 * @param frameNumber  the consumer's frame number in the stream; absent for a snapshot listed again by crash
 *                     recovery (it was taken after the last metadata write)
 * @param captureTs    capture time in epoch ms
 * @param segmentStart start of the segment it was taken from
 * @param snapshot     JPEG path relative to the archive root
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SnapshotRef(Long frameNumber, long captureTs, long segmentStart, String snapshot) {
}
