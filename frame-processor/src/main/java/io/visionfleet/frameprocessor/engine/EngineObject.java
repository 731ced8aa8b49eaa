package io.visionfleet.frameprocessor.engine;

import io.visionfleet.frameprocessor.geom.Box;
import io.visionfleet.frameprocessor.geom.Mask;

/**
 * One object an engine knows in the current frame.
 *
 * @param id       stable id within the stream; 0 while {@link ObjectStatus#TENTATIVE}
 * @param box      where it is (predicted while {@link ObjectStatus#LOST})
 * @param mask     its visible pixels, null while not visible
 * @param score    confidence in [0, 1]
 * @param label    class name the engine knows (from a labelled seed or prompt), null when it has none
 * @param prompted whether a prompt created or corrected it (interactive mode keeps only these)
 */
public record EngineObject(long id, ObjectStatus status, Box box, Mask mask, double score, String label, boolean prompted) {
}
