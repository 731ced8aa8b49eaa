package io.visionfleet.storage.api;

import io.visionfleet.common.api.Access;
import io.visionfleet.common.api.AccessRole;
import io.visionfleet.common.consumer.StreamState;
import io.visionfleet.common.stream.StreamIds;
import io.visionfleet.storage.archive.Archive;
import io.visionfleet.storage.archive.Gap;
import io.visionfleet.storage.archive.SegmentInfo;
import io.visionfleet.storage.archive.Session;
import io.visionfleet.storage.archive.SessionDocument;
import io.visionfleet.storage.config.StorageConfig;
import io.visionfleet.storage.mp4.ClipCutter;
import io.visionfleet.storage.results.ResultKind;
import io.visionfleet.storage.results.ResultsQuery;
import io.visionfleet.storage.stream.StorageConsumer;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.PathPart;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The archive over HTTP: what is recorded (streams, sessions, segments with their time ranges), segment
 * downloads with byte ranges so players can seek, clips cut on key frames, and archived results. Every id in a
 * path is validated (stream ids against the fleet's alphabet, segment and session ids as numbers) and mapped to
 * files through the index, never used as a path.
 */
@Path("/archive/streams")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "archive", description = "Recorded video and results")
public class ArchiveResource {
    private static final String MP4 = "video/mp4";
    private static final Duration MAX_RESULTS_RANGE = Duration.ofHours(1);

    private final Archive archive;
    private final StorageConsumer consumer;
    private final ResultsQuery results;
    private final StorageConfig config;

    public ArchiveResource(Archive archive, StorageConsumer consumer, StorageConfig config) {
        this.archive = archive;
        this.consumer = consumer;
        this.results = new ResultsQuery(archive);
        this.config = config;
    }

    @Access(AccessRole.VIEWER)
    @GET
    @Operation(summary = "Archived streams with the capture-time range they cover")
    public List<ArchiveViews.StreamSummary> streams() {
        // streams followed for recording, whether or not they are connected now
        Set<String> recording = consumer.streams().stream().map(StreamState::streamId).collect(Collectors.toSet());
        Set<String> ids = new LinkedHashSet<>(archive.index().streams());
        ids.addAll(recording);
        List<ArchiveViews.StreamSummary> summaries = new ArrayList<>();
        for (String id : ids) {
            List<SegmentInfo> segments = archive.index().segments(id, Long.MIN_VALUE, Long.MAX_VALUE);
            Long first = segments.isEmpty() ? null : segments.get(0).startTs();
            Long last = segments.isEmpty() ? null : segments.stream().mapToLong(SegmentInfo::endTs).max().getAsLong();
            summaries.add(new ArchiveViews.StreamSummary(id, recording.contains(id), first, last,
                    archive.index().sessions(id).size(), segments.size(),
                    segments.stream().mapToLong(SegmentInfo::sizeBytes).sum()));
        }
        return summaries;
    }

    @Access(AccessRole.VIEWER)
    @GET
    @Path("/{id}/sessions")
    @Operation(summary = "Sessions of a stream, oldest first")
    @APIResponse(responseCode = "404", description = "Nothing archived for this stream")
    public List<ArchiveViews.SessionSummary> sessions(@PathParam("id") String id) {
        return knownStream(id).stream().map(ArchiveViews.SessionSummary::of).toList();
    }

    @Access(AccessRole.VIEWER)
    @GET
    @Path("/{id}/sessions/{sessionId}")
    @Operation(summary = "A session's metadata.json: frames with snapshots, segment index, gaps")
    @APIResponse(responseCode = "404", description = "No such session")
    public SessionDocument session(@PathParam("id") String id,
                                   @Parameter(description = "{stream}-{start}, as listed") @PathParam("sessionId") String sessionId) {
        requireStreamId(id);
        String prefix = id + "-";
        if (!sessionId.startsWith(prefix)) {
            throw new BadRequestException("session id must be " + prefix + "{start}, got '" + sessionId + "'");
        }
        long start = number("session start", sessionId.substring(prefix.length()));
        return archive.index().session(id, start).map(Session::document)
                .orElseThrow(() -> new NotFoundException("no session " + sessionId));
    }

    @Access(AccessRole.VIEWER)
    @GET
    @Path("/{id}/segments")
    @Operation(summary = "Segments overlapping [from, to) (capture time, epoch ms; both optional), with the gaps between them")
    public ArchiveViews.SegmentList segments(@PathParam("id") String id,
                                             @Parameter(description = "epoch ms") @QueryParam("from") String from,
                                             @Parameter(description = "epoch ms") @QueryParam("to") String to) {
        List<Session> sessions = knownStream(id);
        long fromTs = from == null ? Long.MIN_VALUE : number("from", from);
        long toTs = to == null ? Long.MAX_VALUE : number("to", to);
        requireOrder(fromTs, toTs);
        List<Gap> gaps = sessions.stream().flatMap(s -> s.gaps().stream())
                .filter(g -> g.fromTs() < toTs && g.toTs() > fromTs).toList();
        return new ArchiveViews.SegmentList(id, archive.index().segments(id, fromTs, toTs), gaps);
    }

    @Access(AccessRole.VIEWER)
    @GET
    @Path("/{id}/segments/{start}.mp4")
    @Produces(MP4)
    @Operation(summary = "Download a closed segment; honours one HTTP byte range (206) so players can seek")
    @APIResponse(responseCode = "206", description = "The requested byte range")
    @APIResponse(responseCode = "409", description = "The segment is still being recorded")
    @APIResponse(responseCode = "416", description = "The range starts past the end of the file")
    public Response download(@PathParam("id") String id,
                             @Parameter(description = "segment start, epoch ms") @PathParam("start") String start,
                             @HeaderParam("Range") String range) throws IOException {
        knownStream(id);
        long startTs = number("segment start", start);
        SegmentInfo segment = archive.index().segment(id, startTs)
                .orElseThrow(() -> new NotFoundException("no segment " + start + " in stream " + id));
        if (segment.open()) {
            throw new ClientErrorException("segment " + start + " is still being recorded; it is available once closed",
                    Response.Status.CONFLICT);
        }
        java.nio.file.Path file = archive.layout().resolve(segment.path());
        long size = Files.size(file);
        Optional<ByteRange> requested;
        try {
            requested = ByteRange.parse(range, size);
        } catch (ByteRange.Unsatisfiable e) {
            return Response.status(416).header("Content-Range", "bytes */" + size)
                    .header("Accept-Ranges", "bytes").build();
        }
        if (requested.isEmpty()) {
            return Response.ok(new PathPart(file, 0, size), MP4).header("Accept-Ranges", "bytes").build();
        }
        ByteRange part = requested.get();
        return Response.status(206).type(MP4).entity(new PathPart(file, part.first(), part.length()))
                .header("Accept-Ranges", "bytes").header("Content-Range", part.contentRange(size)).build();
    }

    @Access(AccessRole.VIEWER)
    @GET
    @Path("/{id}/clip.mp4")
    @Produces(MP4)
    @Operation(summary = "Export [from, to) as one MP4, cut on the key frame at or before from, without re-encoding")
    @APIResponse(responseCode = "404", description = "No closed recording in the range")
    public Response clip(@PathParam("id") String id,
                         @Parameter(description = "epoch ms", required = true) @QueryParam("from") String from,
                         @Parameter(description = "epoch ms", required = true) @QueryParam("to") String to) throws IOException {
        knownStream(id);
        long fromTs = number("from", required("from", from));
        long toTs = number("to", required("to", to));
        requireOrder(fromTs, toTs);
        if (toTs - fromTs > config.clipMaxLength().toMillis()) {
            throw new BadRequestException("a clip is at most " + config.clipMaxLength() + " long");
        }
        List<ClipCutter.Source> sources = archive.index().segments(id, fromTs, toTs).stream()
                .filter(s -> !s.open())
                .map(s -> new ClipCutter.Source(archive.layout().resolve(s.path()), s.startTs())).toList();
        if (sources.isEmpty()) {
            throw new NotFoundException("no closed recording of " + id + " between " + fromTs + " and " + toTs);
        }
        java.nio.file.Path out = exportFile();
        ClipCutter.Clip clip;
        try {
            clip = ClipCutter.cut(sources, fromTs, toTs, out);
        } catch (IOException e) {
            Files.deleteIfExists(out);
            throw new NotFoundException("no clip between " + fromTs + " and " + toTs + ": " + e.getMessage());
        }
        StreamingOutput body = output -> {
            try {
                Files.copy(out, output);
            } finally {
                Files.deleteIfExists(out);
            }
        };
        return Response.ok(body, MP4)
                .header("Content-Length", Files.size(out))
                .header("Content-Disposition", "attachment; filename=\"" + id + "-" + clip.startTs() + ".mp4\"")
                .header("X-Clip-Start-Ts", clip.startTs())
                .header("X-Clip-End-Ts", clip.endTs())
                .header("X-Clip-Frames", clip.frames())
                .build();
    }

    @Access(AccessRole.VIEWER)
    @GET
    @Path("/{id}/results")
    @Operation(summary = "Archived results with capture time in [from, to) (at most one hour), oldest first")
    public ArchiveViews.ResultList results(@PathParam("id") String id,
                                           @Parameter(description = "epoch ms", required = true) @QueryParam("from") String from,
                                           @Parameter(description = "epoch ms", required = true) @QueryParam("to") String to,
                                           @Parameter(description = "comma-separated: processed_frames, slam_results, ptz_commands, imu_data; all when absent")
                                           @QueryParam("kind") String kind) throws IOException {
        requireStreamId(id);
        long fromTs = number("from", required("from", from));
        long toTs = number("to", required("to", to));
        requireOrder(fromTs, toTs);
        if (toTs - fromTs > MAX_RESULTS_RANGE.toMillis()) {
            throw new BadRequestException("a results query spans at most " + MAX_RESULTS_RANGE);
        }
        Set<ResultKind> kinds = kinds(kind);
        ResultsQuery.Answer answer = results.find(id, kinds, fromTs, toTs, config.results().queryLimit());
        return new ArchiveViews.ResultList(id, fromTs, toTs, kinds.stream().map(ResultKind::fileName).toList(),
                answer.truncated(), answer.results().size(), answer.results());
    }

    private List<Session> knownStream(String id) {
        requireStreamId(id);
        if (!archive.index().streams().contains(id)) {
            throw new NotFoundException("nothing archived for stream " + id);
        }
        return archive.index().sessions(id);
    }

    private static void requireStreamId(String id) {
        if (!StreamIds.isValid(id)) {
            throw new BadRequestException("invalid stream id: use 1-64 of [A-Za-z0-9_.-], starting with a letter or digit");
        }
    }

    private static String required(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new BadRequestException("query parameter '" + name + "' is required (epoch ms)");
        }
        return value;
    }

    /** A non-negative decimal number of at most 18 digits. */
    private static long number(String what, String value) {
        if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new BadRequestException(what + " must be a number (epoch ms), got '" + value + "'");
        }
        return Long.parseLong(value);
    }

    private static void requireOrder(long from, long to) {
        if (from >= to) {
            throw new BadRequestException("'from' must be before 'to'");
        }
    }

    private static Set<ResultKind> kinds(String kind) {
        if (kind == null || kind.isBlank()) {
            return EnumSet.allOf(ResultKind.class);
        }
        Set<ResultKind> kinds = EnumSet.noneOf(ResultKind.class);
        for (String name : kind.split(",")) {
            kinds.add(ResultKind.byName(name.trim()).orElseThrow(() -> new BadRequestException("unknown result kind '"
                    + name.trim() + "'; use " + Arrays.stream(ResultKind.values()).map(ResultKind::fileName).toList())));
        }
        return kinds;
    }

    /** A fresh file under the archive's export directory (same disk, so no space is needed elsewhere). */
    private java.nio.file.Path exportFile() throws IOException {
        java.nio.file.Path dir = archive.layout().exportDir();
        Files.createDirectories(dir);
        return dir.resolve("clip-" + UUID.randomUUID() + ".mp4");
    }
}
