#!/usr/bin/env bash
# Relay fan-out benchmark: the embedded RTSP relay of ingest-server against a GStreamer RTSP server
# (gst-rtsp-server, shared media, TCP only) serving the same 1080p30 H.264 or H.265 stream to 1, 8 and 32 readers.
#
# Per run it reports server CPU (process CPU time over wall time, 100% = one core), latency from capture to
# arrival at the reader (p50/p99, from each server's RTCP sender reports) and what the readers lost: pictures
# the relay dropped (its own per-reader counters; it numbers only packets it sends) and gaps in the RTP sequence.
#
#   bench/relay/run.sh                 # READERS="0 1 8 32" SECONDS_PER_RUN=20 WARMUP=5 CODEC=h264 by default
#   CODEC=h265 bench/relay/run.sh      # the same with H.265 (libx265; GStreamer packetizes with rtph265pay)
#
# Needs: JDK 17, gcc, pkg-config, libgstrtspserver-1.0-dev, gstreamer1.0-plugins-{base,good,bad} (tsdemux,
# h264parse/h265parse, rtph264pay/rtph265pay), a RabbitMQ on 127.0.0.1:5672 (ingest-server connects to it at start);
# for H.265 an ffmpeg with libx265 on the PATH (Debian's), as JavaCV's bundled one has no H.265 encoder.
set -euo pipefail
# the services refuse their control API and are not ready without a fleet token (docs/security.md): one per run
export FLEET_API_TOKEN=${FLEET_API_TOKEN:-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=${WORK:-/tmp/relay-bench}
READERS=${READERS:-"0 1 8 32"}
CODEC=${CODEC:-h264}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-20}
WARMUP=${WARMUP:-5}
RELAY_PORT=${RELAY_PORT:-47554}
HTTP_PORT=${HTTP_PORT:-47080}
GST_PORT=${GST_PORT:-47600}
FEED_PORT=${FEED_PORT:-47604}
APP="$ROOT/ingest-server/target/quarkus-app"
TICKS=$(getconf CLK_TCK)
mkdir -p "$WORK"
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

start() { # start LOG COMMAND...: runs COMMAND in the background, remembers its pid in $STARTED
  local log=$1; shift
  "$@" >"$log" 2>&1 &
  STARTED=$!
  PIDS+=("$STARTED")
}

stop() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

cpu_ticks() { # utime + stime of a process, in clock ticks
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}

relay_drops() { # pictures the relay dropped for its current readers (per-reader counters of GET /streams/bench)
  local status
  status=$(curl -sf -H "Authorization: Bearer $FLEET_API_TOKEN" "http://127.0.0.1:$HTTP_PORT/streams/bench" || true)
  grep -o '"drops":[0-9]*' <<<"$status" | awk -F: '{ s += $2 } END { print s + 0 }' || true
}

# run_load NAME PID URL READERS [DROPS-COMMAND]: drives READERS readers and prints one result row; the lost column
# is the server's own drop count where it has one (sampled just before the readers leave), else RTP sequence gaps
run_load() {
  local name=$1 pid=$2 url=$3 readers=$4 drops_command=${5:-}
  java "$HERE/RtspLoad.java" "$url" "$readers" "$SECONDS_PER_RUN" "$WARMUP" >"$WORK/load.out" 2>"$WORK/load.err" &
  local driver=$!
  sleep "$WARMUP" # the driver measures only after its warm-up; CPU is sampled over the same window
  local t0 c0 t1 c1 dropped=""
  t0=$(date +%s.%N); c0=$(cpu_ticks "$pid")
  if [ -n "$drops_command" ]; then
    sleep $((SECONDS_PER_RUN - 1))
    dropped=$($drops_command)
  fi
  wait "$driver"
  t1=$(date +%s.%N); c1=$(cpu_ticks "$pid")
  local cpu
  cpu=$(awk -v c0="$c0" -v c1="$c1" -v t0="$t0" -v t1="$t1" -v hz="$TICKS" 'BEGIN { printf "%.1f", (c1 - c0) / hz / (t1 - t0) * 100 }')
  local line
  line=$(tail -1 "$WORK/load.out")
  field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" <<<"$line"; }
  local lost="$(field sequence_gaps) packets"
  if [ -n "$dropped" ]; then lost="$dropped pictures, $lost"; fi
  printf '| %s | %s | %d | %s | %s | %s | %s | %s |\n' "$name" "$CODEC" "$readers" "$cpu" "$(field fps_per_reader)" \
    "$(field latency_ms_p50)" "$(field p99)" "$lost" | tee -a "$WORK/results.md"
  if [ "$(field failed)" != "0" ]; then cat "$WORK/load.err" >&2; fi
}

echo "== build"
if [ ! -f "$APP/quarkus-run.jar" ] || [ "${BUILD:-1}" = 1 ]; then
  (cd "$ROOT" && ./mvnw -q -pl ingest-server -am package -DskipTests)
fi
FFMPEG=$(java -cp "$APP/lib/main/*" "$HERE/BundledFfmpeg.java")
gcc -O2 -o "$WORK/gst-rtsp-serve" "$HERE/gst-rtsp-serve.c" \
  $(pkg-config --cflags --libs gstreamer-rtsp-server-1.0 gstreamer-1.0)

case "$CODEC" in
  h264) ENCODER="$FFMPEG"; ENCODE=(-c:v libopenh264 -b:v 6M -g 30 -bf 0); CLIP="$WORK/clip-1080p30.mp4" ;;
  h265) ENCODER=ffmpeg; CLIP="$WORK/clip-1080p30-h265.mp4"
    ENCODE=(-c:v libx265 -preset ultrafast -b:v 6M -tag:v hvc1
      -x265-params keyint=30:min-keyint=30:scenecut=0:open-gop=0:bframes=0:log-level=error) ;;
  *) echo "CODEC must be h264 or h265" >&2; exit 2 ;;
esac
if [ ! -f "$CLIP" ]; then
  echo "== encoding a 20 s 1080p30 test pattern as $CODEC (6 Mb/s, IDR every second, no B-frames)"
  "$ENCODER" -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=1920x1080:rate=30 -t 20 -pix_fmt yuv420p \
    "${ENCODE[@]}" "$CLIP"
fi

{
  echo "machine: $(nproc) x $(lscpu | sed -n 's/^Model name: *//p'), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ); ${SECONDS_PER_RUN} s measured per run after ${WARMUP} s warm-up"
  echo
  echo "| server | codec | readers | server CPU % of one core | fps per reader | latency p50 ms | latency p99 ms | lost |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
} | tee "$WORK/results.md"

# The relay: ingest-server pulls the file (looped in real time, stamped with the time it hands each picture on).
start "$WORK/relay.log" java -Dquarkus.http.port="$HTTP_PORT" -Dfleet.relay.port="$RELAY_PORT" \
  -Dfleet.sources.streams.bench.url="file:$CLIP" -jar "$APP/quarkus-run.jar"
RELAY=$STARTED
for _ in $(seq 60); do
  curl -sf -H "Authorization: Bearer $FLEET_API_TOKEN" "http://127.0.0.1:$HTTP_PORT/streams/bench" | grep -q '"has_parameter_sets":true' && break
  sleep 1
done
# the JVM compiles its hot paths during the first seconds of load: let that happen before measuring
java "$HERE/RtspLoad.java" "rtsp://127.0.0.1:$RELAY_PORT/bench" 8 "${JIT_WARMUP:-20}" 0 >/dev/null
for n in $READERS; do
  run_load "vision-fleet relay" "$RELAY" "rtsp://127.0.0.1:$RELAY_PORT/bench" "$n" relay_drops
done
stop "$RELAY"

# GStreamer: the same file, remuxed to MPEG-TS in real time by ffmpeg and pulled by the server's pipeline. The
# shared media is torn down when its last reader leaves, so server and feed start afresh for every run.
for n in $READERS; do
  start "$WORK/feed.log" "$FFMPEG" -hide_banner -loglevel error -re -stream_loop -1 -i "$CLIP" -c copy \
    -f mpegts "tcp://127.0.0.1:$FEED_PORT?listen=1"
  FEED=$STARTED
  start "$WORK/gst.log" "$WORK/gst-rtsp-serve" "$GST_PORT" \
    "( tcpclientsrc host=127.0.0.1 port=$FEED_PORT ! tsdemux ! ${CODEC}parse ! video/x-$CODEC,alignment=au ! rtp${CODEC}pay name=pay0 pt=96 config-interval=-1 )"
  GST=$STARTED
  sleep 1
  run_load "GStreamer rtsp-server 1.22" "$GST" "rtsp://127.0.0.1:$GST_PORT/bench" "$n"
  stop "$GST"
  stop "$FEED"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$WORK/results.md"
echo "results in $WORK/results.md"
