#!/usr/bin/env bash
# Capacity across replicas: does adding a frame-processor replica add capacity? K streams of the clip bench/scale/run.sh
# uses (ingest-server pulls each from the file at its real-time pace and relays it), processed by frame-processor
# replicas that share the streams through leases (fleet.consumer.ownership) with one processing thread each, each
# replica pinned to a core of its own with taskset, as if it were a machine of its own (ingest-server floats). First
# one replica (core 1), then two (cores 1 and 0; core 0 also carries most of ingest-server, so that replica has less
# room, and the share by capacity should give it fewer streams). After WARMUP seconds per run it prints the
# per-stream processed fps over the replicas (ScaleProbe's row), each replica's streams, capacity and load, and the
# streams handed on since the replicas started, with when (from the replicas' logs).
#
#   bench/scale/replicas.sh        # K=6 WARMUP=90 SECONDS_PER_RUN=20 BUILD=1
#
# Needs: JDK 17, curl, ffmpeg, opencv-doc (for the clip), a RabbitMQ on 127.0.0.1:5672, nothing on ports 47380-47392.
set -euo pipefail
export FLEET_API_TOKEN=${FLEET_API_TOKEN:-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
K=${K:-6}
WARMUP=${WARMUP:-90}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-20}
WORK=${WORK:-/tmp/scale-bench}
HTTP=47380
RELAY=47390
PIDS=()
mkdir -p "$WORK"
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; PIDS=(); }
trap cleanup EXIT
cd "$ROOT"

. "$HERE/clip.sh"
[[ "${BUILD:-1}" == 1 ]] && ./mvnw -B -q -pl ingest-server,frame-processor -am package -DskipTests
app() { echo "$ROOT/$1/target/quarkus-app/quarkus-run.jar"; }
FP_LIB="$ROOT/frame-processor/target/quarkus-app/lib/main/*" # the probe's JSON reader
. "$HERE/lean.sh"
compile_probe "$HERE/ScaleProbe.java" "$FP_LIB"
ready() { for _ in $(seq 120); do curl -fs "http://127.0.0.1:$1/q/health/ready" >/dev/null && return 0; sleep 1; done; return 1; }

streams=()
sources=()
for i in $(seq 1 "$K"); do
  streams+=("scale-$i")
  sources+=("-Dfleet.sources.streams.scale-$i.url=file:$CLIP")
done
list=$(IFS=,; echo "${streams[*]}")
group="fp-bench-$$"

replica() { # N CORE: frame-processor replica N pinned to CORE
  taskset -c "$2" java -Xmx512m -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -Dquarkus.http.port=$((HTTP + $1)) \
    -Dquarkus.http.host=127.0.0.1 "-Dfleet.consumer.relay-url=rtsp://127.0.0.1:$RELAY/" \
    "-Dfleet.consumer.streams=$list" -Dfleet.consumer.follow-stream-events=false -Dfleet.consumer.workers=1 \
    -Dfleet.consumer.ownership.enabled=true \
    "-Dfleet.consumer.ownership.group=$group" "-Dfleet.consumer.ownership.replica-id=fp-$1" \
    -jar "$(app frame-processor)" >"$WORK/replica-$1.log" 2>&1 &
  PIDS+=($!)
  REPLICA_PID[$1]=$!
}

echo "machine: nproc $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git rev-parse --short HEAD)"
echo "$K streams of $CLIP (640x360 at 15 fps); one processing thread per replica"
echo
echo "| K | service | clip streams seen | processed fps min / mean | min / input | min / mean | total processed fps | load | skipped for capacity | CPU | threads |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
declare -A REPLICA_PID
for replicas in 1 2; do
  java -Xmx512m -Dquarkus.http.port=$HTTP -Dquarkus.http.host=127.0.0.1 -Dfleet.relay.port=$RELAY "${sources[@]}" \
    -jar "$(app ingest-server)" >"$WORK/ingest-$replicas.log" 2>&1 &
  PIDS+=($!)
  ingest=$!
  started=$(date +%s)
  replica 1 1
  ((replicas == 2)) && replica 2 0
  ready $((HTTP + 1))
  sleep "$WARMUP" # leases settle, the replicas measure their load and move streams, the JIT compiles
  args=("frame-processor=$((HTTP + 1)):${REPLICA_PID[1]}")
  ((replicas == 2)) && args+=("frame-processor=$((HTTP + 2)):${REPLICA_PID[2]}")
  java "${LEAN[@]}" -cp "$PROBES:$FP_LIB" ScaleProbe "$K" "$SECONDS_PER_RUN" "$list" \
    "${args[@]}" "ingest-server=$ingest" 2>>"$WORK/probe.err" | sed "s/frame-processor/frame-processor x$replicas/"
  for n in $(seq 1 "$replicas"); do
    echo "  replica fp-$n (core $((n == 1 ? 1 : 0))): $(curl -fs -H "Authorization: Bearer $FLEET_API_TOKEN" \
      "http://127.0.0.1:$((HTTP + n))/ownership" \
      | grep -oE '"(capacity|group_capacity|owned)":(\[[^]]*\]|[0-9]+)' | tr '\n' ' ')"
  done
  # streams handed on since the replicas started, from their logs (local time): moves back and forth show here
  moves=$({ grep -h "released stream" "$WORK"/replica-[1-"$replicas"].log || true; } | sort |
    awk -v t0="$(date -d "@$started" +%T)" '
    function secs(t) { split(t, p, ":"); return p[1] * 3600 + p[2] * 60 + p[3] }
    { n++; at = at sprintf("%s%d", n > 1 ? ", " : "", secs(substr($2, 1, 8)) - secs(t0)) }
    END { printf "%d%s", n, n ? " (at " at " s)" : "" }')
  echo "  hand-overs since the replicas started: $moves"
  cleanup
  sleep 3
done
