#!/usr/bin/env bash
# Streams per node: the whole fleet as `./fleet up` runs it, carrying K streams of a real clip (opencv-doc's
# vtest.avi pedestrians, re-encoded once to 640x360 at 15 fps, x264 Main, GOP 30, sent by drone-sim --file: no
# encoder runs during the measurement). For each K (in rising order; streams are added, never restarted) it waits
# WARMUP seconds (FIRST_WARMUP at the first K: the services' C2 compilers keep a good part of a core busy for about two
# minutes after the fleet starts, a cost a running fleet no longer pays), then measures SECONDS_PER_RUN seconds and
# prints per consuming service the per-stream processed frame rate (min and mean over the clip's streams, min /
# input, min / mean), the total processed frames/s over all its streams (the PTZ simulator's stream included), its
# load and frames skipped for capacity, its CPU and threads; then the CPU of ingest-server, the drone-sims and
# RabbitMQ, and the load average, and which processes the run queue was made of; and then, in a window of its own
# right after at the same K, bench/latency's
# HopLatency: stream drone's capture -> on the bus latency in frame-processor and slam-service. The bench's own
# programs cost the measured machine as little as it can make them: the probes are compiled once and run on C1 alone,
# the drone-sims likewise, and the latency probe (which parses every result and decodes the relay with FFmpeg as its
# reference) stays out of the throughput window.
#
# Before that, the ceiling, measured in the same run: each stage alone on one thread on the clip's pictures
# (FFmpeg decode as the consumers run it, the motion pipeline, the SLAM tracker: StageCost.java; storage's remux
# as FFmpeg's `-c copy` into fragmented MP4, which is the work storage hands FFmpeg), and the streams that the sum
# of those costs says the cores carry: frame-processor and slam-service decode every stream, each stage runs once
# per frame. (ptz-service decodes only the streams of real PTZ cameras, none here: its row shows what it costs idle.)
# Then, per service, its best total and its total at the largest K, each with its frames per core-second, which tell
# work that costs more per frame under overload from a smaller share of the cores. The last line is the ratio
# carried / ceiling, where "carried" is the largest K at which frame-processor, slam-service and storage-service kept
# every stream at >= 0.9 of its input rate. Last, with the fleet down, the stages once more: on a shared VM the
# machine's own speed can move between the start and the end of a run by as much as a change would show. Then the
# same stages on the fleet's own PTZ simulator stream (ptz-sim, recorded from the relay during the first warm-up), which
# every K carries beside the clip's streams: its camera moves on most frames, so a frame of it costs frame-processor
# and slam-service several of the clip's. With ptz-service's CPU at the first K (the simulator's render and encode)
# that is work the fleet does at any K; the last line is the ceiling of the clip's streams on the cores left.
#
#   bench/scale/run.sh        # K="1 2 4 6 8 12" FIRST_WARMUP=120 WARMUP=40 SECONDS_PER_RUN=20 BUILD=1
#   SOURCE=/usr/share/doc/opencv-doc/examples/data/Megamind.avi WORK=/tmp/scale-moving bench/scale/run.sh
#                             # another real clip, re-encoded the same way: this one's view pans and cuts, as a drone's
#                             # moves (vtest's camera is fixed); WORK apart, since the re-encoded clip is kept there
#
# Needs: what `./fleet up` needs (it installs it), ffmpeg and opencv-doc (for the clip), nothing else on the fleet's
# ports. It runs `./fleet down` first and last.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
K_LIST=${K:-"1 2 4 6 8 12"}
WARMUP=${WARMUP:-40}
FIRST_WARMUP=${FIRST_WARMUP:-120}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-20}
LATENCY_WARMUP=5
WORK=${WORK:-/tmp/scale-bench}
FPS=15 # the clip's rate (clip.sh)
CORES=$(nproc)
export FLEET_HOME=${FLEET_HOME:-$WORK/fleet-home}
mkdir -p "$WORK"
cd "$ROOT"

SIMS=()
cleanup() {
  for pid in "${SIMS[@]}"; do kill "$pid" 2>/dev/null || true; done
  ./fleet down >/dev/null 2>&1 || true
}
trap cleanup EXIT

. "$HERE/clip.sh"
# the engines run outside Quarkus: with their Maven class paths (SmallRye builds the config mappings at run time),
# written in the same build, whose reactor resolves the fleet's own modules without an installed copy
if [[ "${BUILD:-1}" == 1 ]]; then
  ./mvnw -B -q -pl ingest-server,frame-processor,slam-service,storage-service,ptz-service,drone-sim -am package \
    dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -DskipTests >/dev/null
fi
[[ -f frame-processor/target/classpath.txt && -f slam-service/target/classpath.txt ]] ||
  { echo "no class paths of the engines: run with BUILD=1" >&2; exit 1; }
CP="$ROOT/frame-processor/target/classes:$ROOT/slam-service/target/classes:$ROOT/video-sim/target/classes:$(cat frame-processor/target/classpath.txt):$(cat slam-service/target/classpath.txt)"
# pictures in clip $1 (0 if it cannot be read)
pictures() {
  ffprobe -v error -count_packets -select_streams v:0 -show_entries stream=nb_read_packets -of csv=p=0 "$1" 2>/dev/null ||
    echo 0
}
# the consumers' decoder takes the access units as the RTP reader hands them: clip $1's Annex B stream, into $2
annex_b() { ffmpeg -nostdin -loglevel error -y -i "$1" -c copy -bsf:v h264_mp4toannexb -f h264 "$2"; }
FRAMES=$(pictures "$CLIP")

echo "machine: nproc $CORES; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git rev-parse --short HEAD)"
echo "clip: $CLIP ($FRAMES pictures, 640x360 at $FPS fps)"
echo
annex_b "$CLIP" "$WORK/clip.h264"
LOOPS=20 # one pass of the clip remuxes in milliseconds: too short to time
# each stage alone on the pictures of clip $1 (Annex B copy $2; $3 frames, StageCost's default if empty): StageCost's
# lines and the remux's
stage_costs() {
  local remux frames
  frames=$(pictures "$1")
  remux=$(ffmpeg -nostdin -benchmark -stream_loop $((LOOPS - 1)) -i "$1" -c copy -movflags +frag_keyframe+empty_moov \
    -f mp4 -y /dev/null 2>&1 | awk '/^bench: utime=/ { sub("utime=", "", $2); sub("s", "", $2); sub("stime=", "", $3); sub("s", "", $3); print $2 + $3 }')
  java -Xmx2g -cp "$CP" "$HERE/StageCost.java" "$1" "$2" ${3:-} 2>>"$WORK/stage-cost.err"
  awk -v s="$remux" -v n=$((frames * LOOPS)) 'BEGIN { printf "stage remux %.3f -\n", s * 1000 / n }'
}
# CPU ms a frame of one stream costs the fleet at stage costs $1: frame-processor and slam-service each decode it, each
# other stage runs once
frame_ms() { echo "$1" | awk '$1 == "stage" { ms += ($2 == "decode" ? 2 : 1) * $3 } END { printf "%.2f", ms }'; }
# sets $stages (the clip's stage costs) and $ceiling ("<ms a stream's frame costs> <streams the cores carry>")
measure_stages() {
  stages=$(stage_costs "$CLIP" "$WORK/clip.h264")
  local ms
  ms=$(frame_ms "$stages")
  ceiling="$ms $(awk -v ms="$ms" -v fps=$FPS -v cores="$CORES" 'BEGIN { printf "%.1f", cores * 1000 / (fps * ms) }')"
}
# CPU ms per frame of stage $1 in $2 (a $stages)
stage_ms() { echo "$2" | awk -v s="$1" '$1 == "stage" && $2 == s { print $3 }'; }

echo "## ceiling: each stage alone on one stream: CPU ms per frame (wall ms per frame)"
: >"$WORK/stage-cost.err"
measure_stages
echo "$stages"
echo "per frame of one stream, all services (2 decodes + motion + slam + remux): ${ceiling% *} ms;" \
  "$CORES cores carry ${ceiling#* } streams at $FPS fps"
echo

./fleet down >/dev/null 2>&1 || true
FLEET_DRONE_ARGS="--file $CLIP" ./fleet up >"$WORK/fleet-up.log" 2>&1 || { cat "$WORK/fleet-up.log"; exit 1; }
pid() { cat "$FLEET_HOME/pids/$1.pid"; }
SERVICES=(frame-processor slam-service storage-service ptz-service)
declare -A PORT=([frame-processor]=8081 [slam-service]=8082 [storage-service]=8083 [ptz-service]=8084)
PUBLISH_PASSWORD=$(cat "$FLEET_HOME/video-publish-password")
READ_PASSWORD=$(cat "$FLEET_HOME/video-read-password")
# the PTZ simulator's stream, recorded (no re-encoding) in the first warm-up once its camera follows the scene; the
# first window waits for the recording to end
PTZ_CLIP=$WORK/ptz-sim.mp4
(sleep 15 && timeout 60 ffmpeg -nostdin -loglevel error -rtsp_transport tcp \
  -i "rtsp://reader:$READ_PASSWORD@localhost:8554/ptz-sim" -t 30 -c copy -y "$PTZ_CLIP") &
PTZ_RECORDING=$!
# HopLatency's classes: the message records and the AMQP client from frame-processor, FFmpeg's reader from common's tests
LATENCY_CP="$ROOT/video-sim/target/classes:$ROOT/common/target/test-classes:$ROOT/frame-processor/target/quarkus-app/lib/main/*"
. "$HERE/lean.sh"
compile_probe "$HERE/ScaleProbe.java" "$CP"
compile_probe "$ROOT/bench/latency/HopLatency.java" "$LATENCY_CP"
streams=(drone)
measured=""
carried=0
full=1
echo "| K | service | clip streams seen | processed fps min / mean | min / input | min / mean | total processed fps | load | skipped for capacity | CPU | threads |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for k in $K_LIST; do
  while ((${#streams[@]} < k)); do
    id="scale-$((${#streams[@]} + 1))"
    FLEET_PUBLISH_USER=publisher FLEET_PUBLISH_PASSWORD=$PUBLISH_PASSWORD nohup java "${LEAN[@]}" -Xmx64m \
      -jar "$ROOT/drone-sim/target/quarkus-app/quarkus-run.jar" \
      --server ws://localhost:8080 --stream "$id" --file "$CLIP" >"$WORK/$id.log" 2>&1 </dev/null &
    SIMS+=($!)
    streams+=("$id")
  done
  # the new streams connect, every JVM compiles its hot paths
  if [[ -z $measured ]]; then sleep "$FIRST_WARMUP"; wait "$PTZ_RECORDING" || true; else sleep "$WARMUP"; fi
  args=()
  for s in "${SERVICES[@]}"; do args+=("$s=${PORT[$s]}:$(pid "$s")"); done
  sims=$(IFS=+; echo "$(pid drone-sim)${SIMS[*]:+"+${SIMS[*]}"}")
  broker=$(pgrep -f 'beam.smp.*rabbit' | head -1 || echo 0)
  rows=$(java "${LEAN[@]}" -cp "$PROBES:$CP" ScaleProbe "$k" "$SECONDS_PER_RUN" "$(IFS=,; echo "${streams[*]}")" "${args[@]}" \
    "ingest-server=$(pid ingest-server)" "drone-sims=$sims" "rabbitmq=$broker" 2>>"$WORK/probe.err")
  echo "$rows"
  measured+="$rows"$'\n'
  # capture -> result latency of stream drone, in a window of its own (HopLatency also decodes the relay with FFmpeg
  # as its reference); its readers wait for the next IDR, at most one GOP
  java "${LEAN[@]}" -cp "$PROBES:$LATENCY_CP" HopLatency measure "rtsp://reader:$READ_PASSWORD@localhost:8554/drone" \
    drone "$LATENCY_WARMUP" "$SECONDS_PER_RUN" "K=$k" >"$WORK/latency-$k.md" 2>"$WORK/latency-$k.err" || true
  grep -E '\| capture → on the bus \|' "$WORK/latency-$k.md" | sed "s/^/K=$k latency, stream drone: /" || true
  # full rate: every service that pulls the clip's streams saw each and kept its slowest at >= 0.9 of the input, at
  # this K and below
  if ((full)) && echo "$rows" | awk -F'|' '/^\| [0-9]/ && $3 !~ /ptz-service/ { split($4, seen, " of ");
      if (seen[1] + 0 < seen[2] + 0 || $6 + 0 < 0.9) bad = 1 } END { exit bad }'; then
    carried=$k
  else
    full=0
  fi
done
echo
# under overload a service's total can fall because each frame costs it more (work collapses) or because it gets less
# of the cores (the kernel shares them among every busy thread): frames per core-second tells which
echo "$measured" | awk -F'|' '/^\| [0-9]/ && $3 !~ /ptz-service/ {
    s = $3; gsub(/ /, "", s); if (!(s in best)) order[++n] = s; k = $2 + 0; total = $8 + 0; cpu = $11 + 0; last[s] = k; t[s, k] = total; c[s, k] = cpu
    if (total > best[s]) { best[s] = total; bestK[s] = k } }
  END { for (i = 1; i <= n; i++) { s = order[i]; b = bestK[s]; l = last[s]
    printf "%s: best total %.1f fps at K = %d (%.0f frames per core-second, %d %% of a core); at K = %d %.1f (%.2f of best),", \
      s, best[s], b, 100 * best[s] / c[s, b], c[s, b], l, t[s, l], t[s, l] / best[s]
    printf " %.0f frames per core-second (%.2f), %d %% of a core\n", 100 * t[s, l] / c[s, l], t[s, l] * c[s, b] / (best[s] * c[s, l]), c[s, l] } }'
echo "carried at full rate: $carried streams; ceiling ${ceiling#* }; carried / ceiling $(awk -v c="$carried" -v m="${ceiling#* }" 'BEGIN { printf "%.2f", c / m }')"
# the stages once more with the fleet down: a shared VM's speed can move during a run by as much as a change measures
./fleet down >/dev/null 2>&1 || true
first_stages=$stages
first_ceiling=$ceiling
measure_stages
echo "the stages again after the fleet (how far the machine's speed moved during the run): motion $(stage_ms motion \
"$stages") ms a frame (at the start $(stage_ms motion "$first_stages")), SLAM $(stage_ms slam "$stages") ($(stage_ms slam \
"$first_stages")), decode $(stage_ms decode "$stages") ($(stage_ms decode "$first_stages")); ceiling ${ceiling#* }" \
  "(${first_ceiling#* })"
# the fleet's own PTZ camera: its stream's stages (as the clip's: two decodes, motion, SLAM, remux) and ptz-service's
# CPU at the first K, which renders and encodes it
ptz_frames=$(pictures "$PTZ_CLIP")
if ((ptz_frames > 120)); then
  annex_b "$PTZ_CLIP" "$WORK/ptz-sim.h264"
  ptz_stages=$(stage_costs "$PTZ_CLIP" "$WORK/ptz-sim.h264" $((ptz_frames - 60 < 300 ? ptz_frames - 60 : 300)))
  ptz_cpu=$(echo "$measured" | awk -F'|' '/^\| [0-9]/ && $3 ~ /ptz-service/ { print $11 + 0; exit }')
  echo "$ptz_stages" | awk -v cpu="$ptz_cpu" -v fps=$FPS -v cores="$CORES" -v clip_ms="${ceiling% *}" -v carried="$carried" \
    -v k0="${K_LIST%% *}" -v n="$ptz_frames" -v ms="$(frame_ms "$ptz_stages")" '
    $1 == "stage" { cost[$2] = $3 }
    END { fixed = cpu / 100 + fps * ms / 1000; left = (cores - fixed) * 1000 / (fps * clip_ms)
      printf "the PTZ simulator'"'"'s stream (%d pictures recorded from the relay): motion %.3f ms a frame, SLAM %.3f, decode %.3f;", n, cost["motion"], cost["slam"], cost["decode"]
      printf " with ptz-service'"'"'s %d %% of a core at K = %d it takes %.2f of the cores at any K; the clip'"'"'s streams the", cpu, k0, fixed
      printf " other %.2f carry: %.1f; carried / that ceiling %.2f\n", cores - fixed, left, carried / left }'
else
  echo "the PTZ simulator's stream: not recorded ($PTZ_CLIP: $ptz_frames pictures); no ceiling beside it"
fi
