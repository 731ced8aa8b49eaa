package io.visionfleet.storage.archive;

import com.fasterxml.jackson.databind.JsonNode;
import io.visionfleet.common.bus.Json;
import io.visionfleet.common.testing.Ffprobe;
import io.visionfleet.storage.support.ArchiveFiles;
import io.visionfleet.storage.support.FragmentedSamples;
import io.visionfleet.storage.support.TestClips;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static io.visionfleet.storage.support.FragmentedSamples.FRAGMENT_FRAMES;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Start-up after a crash: the archive a killed process left (metadata naming a segment being written, its partial
 * file ending in a half-written fragment) is brought back to closed, playable, indexed segments.
 */
@Tag("integration")
class ArchiveRecoveryTest {
    private static final long T0 = 1_760_000_000_000L;

    @TempDir
    Path root;

    @Test
    void theSegmentBeingWrittenIsCutAfterItsLastFragmentClosedAndIndexedAndTheSessionEnded() throws Exception {
        ArchiveLayout layout = new ArchiveLayout(root);
        Archive before = new Archive(layout, s -> { });
        Session session = before.startSession("cam", T0);
        Path first = before.openSegment(session, T0);
        FragmentedSamples.closed(first, 2 * FRAGMENT_FRAMES);
        before.closeSegment(session, T0, T0 + 2000, 2 * FRAGMENT_FRAMES, SegmentInfo.LENGTH);
        long second = T0 + 2000;
        Path partial = before.openSegment(session, second);
        // the crash: three fragments on disk, the fourth half written
        FragmentedSamples.crashedAfter(root.resolve("scratch.mp4"), 3 * FRAGMENT_FRAMES + 5, partial);
        Files.write(partial, new byte[]{0, 0, 0x40, 0, 'm', 'o', 'o', 'f', 1, 2, 3}, StandardOpenOption.APPEND);
        before.saveSnapshot(session, second, 60, second + 400, new byte[]{(byte) 0xff, (byte) 0xd8}); // not in metadata yet
        Files.createDirectories(layout.exportDir());
        Files.write(layout.exportDir().resolve("clip-1.mp4"), new byte[10]);

        List<SegmentInfo> announced = new ArrayList<>();
        Archive after = new Archive(layout, announced::add);
        ArchiveRecovery.Report report = ArchiveRecovery.recover(after);

        assertThat(report.sessions()).isEqualTo(1);
        assertThat(report.recovered()).isEqualTo(1);
        SegmentInfo recovered = after.index().segment("cam", second).orElseThrow();
        assertThat(recovered.open()).isFalse();
        assertThat(recovered.closeReason()).isEqualTo(SegmentInfo.RECOVERED);
        assertThat(recovered.frames()).isEqualTo(3 * FRAGMENT_FRAMES);
        assertThat(recovered.endTs() - recovered.startTs()).isEqualTo(3 * FRAGMENT_FRAMES * TestClips.FRAME_MS);
        assertThat(recovered.path()).endsWith(second + ".mp4");
        assertThat(Files.exists(partial)).isFalse();
        Ffprobe.Probe probe = Ffprobe.probe(root.resolve(recovered.path()));
        assertThat(probe.errors()).isEmpty();
        assertThat(probe.decodedFrames()).isEqualTo(3 * FRAGMENT_FRAMES);
        assertThat(recovered.sizeBytes()).isEqualTo(Files.size(root.resolve(recovered.path())));
        assertThat(announced).containsExactly(recovered);

        Session restored = after.index().session("cam", T0).orElseThrow();
        assertThat(restored.endReason()).contains(Session.CRASHED);
        assertThat(restored.endTs()).contains(recovered.endTs());
        JsonNode metadata = Json.MAPPER.readTree(layout.metadata("cam", T0).toFile());
        assertThat(metadata.get("end_reason").asText()).isEqualTo(Session.CRASHED);
        assertThat(metadata.get("total_frames").asLong()).isEqualTo(5 * FRAGMENT_FRAMES);
        assertThat(metadata.get("segments").findValues("state").stream().map(JsonNode::asText)).containsOnly("closed");
        assertThat(restored.frames()).as("the snapshot taken after the last metadata write is listed again")
                .containsExactly(new SnapshotRef(null, second + 400, second, layout.relative(layout.snapshot("cam", second, second + 400))));
        assertThat(layout.exportDir()).isEmptyDirectory();
    }

    @Test
    void anOrphanPartialGetsASessionAndOneWithoutAPictureIsDeleted() throws Exception {
        ArchiveLayout layout = new ArchiveLayout(root);
        Path orphan = layout.partialSegment("drone", T0);
        Files.createDirectories(orphan.getParent());
        FragmentedSamples.crashedAfter(root.resolve("scratch.mp4"), FRAGMENT_FRAMES + 3, orphan);
        Path empty = layout.partialSegment("drone", T0 + 60_000);
        Path complete = FragmentedSamples.closed(root.resolve("complete.mp4"), FRAGMENT_FRAMES);
        byte[] header = new byte[64];
        System.arraycopy(Files.readAllBytes(complete), 0, header, 0, 64); // ftyp and the start of moov
        Files.write(empty, header);

        Archive archive = new Archive(layout, s -> { });
        ArchiveRecovery.Report report = ArchiveRecovery.recover(archive);

        assertThat(report.recovered()).isEqualTo(1);
        assertThat(report.discarded()).isEqualTo(1);
        assertThat(Files.exists(empty)).isFalse();
        SegmentInfo adopted = archive.index().segment("drone", T0).orElseThrow();
        assertThat(adopted.frames()).isEqualTo(FRAGMENT_FRAMES);
        assertThat(Ffprobe.probe(root.resolve(adopted.path())).decodedFrames()).isEqualTo(FRAGMENT_FRAMES);
        assertThat(archive.index().sessions("drone")).singleElement()
                .satisfies(s -> assertThat(s.endReason()).contains(Session.CRASHED));
        assertThat(ArchiveFiles.find(root.resolve("drone"), ".partial.mp4")).isEmpty();
    }

    @Test
    void aCrashedH265SegmentIsRecoveredAsHvc1() throws Exception {
        ArchiveLayout layout = new ArchiveLayout(root);
        Path partial = layout.partialSegment("hevc", T0);
        Files.createDirectories(partial.getParent());
        FragmentedSamples.crashedAfter(TestClips.hevcClip(), root.resolve("scratch.mp4"), 2 * FRAGMENT_FRAMES + 5, partial);

        Archive archive = new Archive(layout, s -> { });
        assertThat(ArchiveRecovery.recover(archive).recovered()).isEqualTo(1);

        SegmentInfo recovered = archive.index().segment("hevc", T0).orElseThrow();
        assertThat(recovered.frames()).isEqualTo(2 * FRAGMENT_FRAMES);
        Ffprobe.Probe probe = Ffprobe.probe(root.resolve(recovered.path()));
        assertThat(probe.errors()).isEmpty();
        assertThat(probe.codecTag()).isEqualTo("hvc1");
        assertThat(probe.startsOnKey()).isTrue();
        assertThat(probe.decodedFrames()).isEqualTo(2 * FRAGMENT_FRAMES);
    }

    @Test
    void aCleanArchiveIsReadBackAsItWasWritten() throws Exception {
        ArchiveLayout layout = new ArchiveLayout(root);
        Archive before = new Archive(layout, s -> { });
        Session session = before.startSession("cam", T0);
        Path file = before.openSegment(session, T0);
        FragmentedSamples.closed(file, FRAGMENT_FRAMES);
        SegmentInfo closed = before.closeSegment(session, T0, T0 + 1000, FRAGMENT_FRAMES, SegmentInfo.STOPPED);
        before.addGap(session, new Gap(T0 + 1000, T0 + 3000, SegmentInfo.STREAM_LOST));
        before.endSession(session, T0 + 1000, Session.STOPPED);
        Path copy = Files.copy(layout.metadata("cam", T0), root.resolve("metadata-before.json"), StandardCopyOption.REPLACE_EXISTING);

        Archive after = new Archive(layout, s -> { });
        ArchiveRecovery.Report report = ArchiveRecovery.recover(after);

        assertThat(report).isEqualTo(new ArchiveRecovery.Report(1, 1, 0, 0));
        assertThat(after.index().segment("cam", T0)).contains(closed);
        assertThat(after.index().segmentCovering("cam", T0 + 999)).contains(closed);
        assertThat(after.index().segmentCovering("cam", T0 + 1000)).isEmpty();
        assertThat(after.index().session("cam", T0).orElseThrow().gaps())
                .containsExactly(new Gap(T0 + 1000, T0 + 3000, SegmentInfo.STREAM_LOST));
        assertThat(Files.readString(layout.metadata("cam", T0))).isEqualTo(Files.readString(copy));
    }
}
