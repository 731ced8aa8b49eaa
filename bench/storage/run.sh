#!/usr/bin/env bash
# Recording CPU benchmark: storage-service against `ffmpeg -rtsp_transport tcp -i rtsp://... -c copy -f mp4` on the
# same relayed streams, measured side by side in the same run (same relay, same streams, same window).
#
# For each stream count in STREAMS it starts the relay (ingest-server looping a 720p30 H.264 file as streams
# bench1..benchN), three storage-services recording all N streams (with the JVM options its image runs with,
# STORAGE_JVM: once in the default configuration, i.e. a JPEG snapshot every 10 s, and once with snapshots off,
# which is the work ffmpeg does; and snapshots off with the JVM's own defaults), and per stream one ffmpeg writing a
# plain MP4 and one writing the same crash-safe fragmented MP4 storage writes. After WARMUP seconds (the JVM compiles its hot
# paths during the first minute) it samples each process's CPU time (utime + stime from /proc/<pid>/stat) over
# SECONDS_PER_RUN seconds and reports CPU seconds per recorded stream-hour.
#
#   bench/storage/run.sh        # STREAMS="1 4" SECONDS_PER_RUN=150 WARMUP=60 by default
#
# Needs: JDK 17, curl, a RabbitMQ on 127.0.0.1:5672 (both services connect to it at start), common installed
# in ~/.m2 (./mvnw -q -pl common install -DskipTests). BUILD=0 skips packaging.
set -euo pipefail
# the services refuse their control API and are not ready without a fleet token (docs/security.md): one per run
export FLEET_API_TOKEN=${FLEET_API_TOKEN:-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=${WORK:-/tmp/storage-bench}
STREAMS=${STREAMS:-"1 4"}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-150}
WARMUP=${WARMUP:-60}
RELAY_PORT=${RELAY_PORT:-47654}
HTTP_PORT=${HTTP_PORT:-47180}
STORAGE_PORT=${STORAGE_PORT:-47183}
BARE_PORT=${BARE_PORT:-47184}
JVM_DEFAULTS_PORT=${JVM_DEFAULTS_PORT:-47185}
# as in deploy/storage-service/Dockerfile (and ./fleet): no GC, perf-data or C2 compiler threads busy in the background
STORAGE_JVM=${STORAGE_JVM:-"-XX:+UseSerialGC -XX:-UsePerfData -XX:TieredStopAtLevel=1"}
INGEST="$ROOT/ingest-server/target/quarkus-app/quarkus-run.jar"
STORAGE="$ROOT/storage-service/target/quarkus-app/quarkus-run.jar"
TICKS=$(getconf CLK_TCK)
PIDS=()
mkdir -p "$WORK"

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

start() { # start LOG COMMAND...: runs COMMAND in the background, its pid in $STARTED
  local log=$1; shift
  "$@" >"$log" 2>&1 &
  STARTED=$!
  PIDS+=("$STARTED")
}

stop() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

cpu_ticks() { # utime + stime of the processes given, in clock ticks
  local total=0 pid
  for pid in "$@"; do total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat"))); done
  echo "$total"
}

rss_mib() {
  awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"
}

wait_http() { # wait_http URL PATTERN
  for _ in $(seq 120); do
    curl -sf -H "Authorization: Bearer $FLEET_API_TOKEN" "$1" 2>/dev/null | grep -q "$2" && return 0
    sleep 1
  done
  echo "timed out waiting for $1" >&2
  return 1
}

echo "== build"
if [ "${BUILD:-1}" = 1 ]; then
  (cd "$ROOT" && ./mvnw -q -pl ingest-server,storage-service package -DskipTests)
fi
FFMPEG=$(java -cp "$ROOT/storage-service/target/quarkus-app/lib/main/*" "$HERE/../relay/BundledFfmpeg.java")

CLIP="$WORK/clip-720p30.mp4"
if [ ! -f "$CLIP" ]; then
  echo "== encoding a 60 s 720p30 test pattern with OpenH264 (4 Mb/s, IDR every 2 s)"
  "$FFMPEG" -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=1280x720:rate=30 -t 60 \
    -c:v libopenh264 -b:v 4M -g 60 -bf 0 "$CLIP"
fi

{
  echo "machine: $(nproc) x $(lscpu | sed -n 's/^Model name: *//p'), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ); stream: 1280x720 30 fps H.264 4 Mb/s (OpenH264 test pattern), relayed by ingest-server over RTSP/TCP"
  echo "${SECONDS_PER_RUN} s measured per run after ${WARMUP} s warm-up; ffmpeg: $("$FFMPEG" -version | head -1 | cut -d' ' -f1-3)"
  echo
  echo "| streams | recorder | CPU s per stream-hour | % of one core per stream | vs ffmpeg -c copy | RSS MiB |"
  echo "| --- | --- | --- | --- | --- | --- |"
} | tee "$WORK/results.md"

row() { # row STREAMS NAME TICKS SECONDS REFERENCE_PER_HOUR RSS: prints a result row, sets $PER_HOUR
  PER_HOUR=$(awk -v t="$3" -v s="$4" -v n="$1" -v hz="$TICKS" 'BEGIN { printf "%.0f", t / hz / s * 3600 / n }')
  local pct ratio
  pct=$(awk -v t="$3" -v s="$4" -v n="$1" -v hz="$TICKS" 'BEGIN { printf "%.2f", t / hz / s / n * 100 }')
  ratio=$(awk -v a="$PER_HOUR" -v b="$5" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "1.00x" }')
  printf '| %d | %s | %s | %s | %s | %s |\n' "$1" "$2" "$PER_HOUR" "$pct" "$ratio" "$6" | tee -a "$WORK/results.md"
}

for n in $STREAMS; do
  echo "== $n stream(s)"
  ids=()
  sources=()
  for i in $(seq "$n"); do
    ids+=("bench$i")
    sources+=("-Dfleet.sources.streams.bench$i.url=file:$CLIP")
  done
  start "$WORK/relay-$n.log" java -Dquarkus.http.port="$HTTP_PORT" -Dfleet.relay.port="$RELAY_PORT" \
    "${sources[@]}" -jar "$INGEST"
  RELAY=$STARTED
  for id in "${ids[@]}"; do wait_http "http://127.0.0.1:$HTTP_PORT/streams/$id" '"has_parameter_sets":true'; done

  rm -rf "$WORK"/archive-* "$WORK"/ffmpeg-*.mp4
  storage() { # storage PORT ARCHIVE JVM_OPTIONS EXTRA_OPTIONS...: starts a storage-service recording all streams
    local port=$1 archive=$2 jvm=$3; shift 3
    # shellcheck disable=SC2086
    start "$WORK/storage-$n-$port.log" java $jvm -Dquarkus.http.port="$port" \
      -Dfleet.consumer.relay-url="rtsp://127.0.0.1:$RELAY_PORT/" -Dfleet.consumer.streams="$(IFS=,; echo "${ids[*]}")" \
      -Dfleet.consumer.follow-stream-events=false -Dfleet.storage.root="$archive" \
      -Dfleet.storage.results.enabled=false -Dfleet.storage.retention.min-free=100M "$@" -jar "$STORAGE"
  }
  storage "$STORAGE_PORT" "$WORK/archive-$n" "$STORAGE_JVM"
  STORAGE_PID=$STARTED
  storage "$BARE_PORT" "$WORK/archive-$n-bare" "$STORAGE_JVM" -Dfleet.storage.snapshot-interval=0
  BARE_PID=$STARTED
  storage "$JVM_DEFAULTS_PORT" "$WORK/archive-$n-jvm-defaults" "" -Dfleet.storage.snapshot-interval=0
  JVM_DEFAULTS_PID=$STARTED
  plain=()
  fragmented=()
  for id in "${ids[@]}"; do
    start "$WORK/ffmpeg-$id.log" "$FFMPEG" -hide_banner -loglevel error -rtsp_transport tcp \
      -i "rtsp://127.0.0.1:$RELAY_PORT/$id" -c copy -f mp4 -y "$WORK/ffmpeg-$id.mp4"
    plain+=("$STARTED")
    start "$WORK/ffmpeg-frag-$id.log" "$FFMPEG" -hide_banner -loglevel error -rtsp_transport tcp \
      -i "rtsp://127.0.0.1:$RELAY_PORT/$id" -c copy -f mp4 -movflags frag_keyframe+empty_moov+default_base_moof \
      -frag_duration 1000000 -flush_packets 1 -y "$WORK/ffmpeg-frag-$id.mp4"
    fragmented+=("$STARTED")
  done
  wait_http "http://127.0.0.1:$STORAGE_PORT/q/health/ready" '"status": *"UP"'
  sleep "$WARMUP"

  t0=$(date +%s.%N)
  s0=$(cpu_ticks "$STORAGE_PID"); b0=$(cpu_ticks "$BARE_PID"); j0=$(cpu_ticks "$JVM_DEFAULTS_PID"); p0=$(cpu_ticks "${plain[@]}"); f0=$(cpu_ticks "${fragmented[@]}")
  in0=$(curl -s "http://127.0.0.1:$STORAGE_PORT/q/metrics" | awk '/^fleet_consumer_frames_in_total/ { s += $2 } END { print s }')
  sleep "$SECONDS_PER_RUN"
  t1=$(date +%s.%N)
  s1=$(cpu_ticks "$STORAGE_PID"); b1=$(cpu_ticks "$BARE_PID"); j1=$(cpu_ticks "$JVM_DEFAULTS_PID"); p1=$(cpu_ticks "${plain[@]}"); f1=$(cpu_ticks "${fragmented[@]}")
  in1=$(curl -s "http://127.0.0.1:$STORAGE_PORT/q/metrics" | awk '/^fleet_consumer_frames_in_total/ { s += $2 } END { print s }')
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')

  row "$n" "ffmpeg -c copy -f mp4" "$((p1 - p0))" "$secs" 0 "$(rss_mib "${plain[0]}")"
  reference=$PER_HOUR
  row "$n" "ffmpeg -c copy, fragmented MP4 like storage" "$((f1 - f0))" "$secs" "$reference" "$(rss_mib "${fragmented[0]}")"
  row "$n" "storage-service, snapshots off" "$((b1 - b0))" "$secs" "$reference" "$(rss_mib "$BARE_PID")"
  row "$n" "storage-service, default (snapshot every 10 s)" "$((s1 - s0))" "$secs" "$reference" "$(rss_mib "$STORAGE_PID")"
  row "$n" "storage-service, snapshots off, JVM defaults" "$((j1 - j0))" "$secs" "$reference" "$(rss_mib "$JVM_DEFAULTS_PID")"
  awk -v a="$in0" -v b="$in1" -v s="$secs" -v n="$n" \
    'BEGIN { printf "storage received %.1f fps per stream during the window\n", (b - a) / s / n }' | tee -a "$WORK/results.md"

  for pid in "${plain[@]}" "${fragmented[@]}" "$STORAGE_PID" "$BARE_PID" "$JVM_DEFAULTS_PID" "$RELAY"; do stop "$pid"; done
done
echo "results in $WORK/results.md"
