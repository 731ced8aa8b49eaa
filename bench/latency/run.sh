#!/usr/bin/env bash
# Capture-to-result latency split by hop, per service: ingest-server relays a synthetic clip (the panning
# ground-truth scene of video-sim, 30 fps, looped in real time by the file pull source), frame-processor (motion
# engine) or slam-service pulls it over RTSP; HopLatency reads the results from the bus and prints p50/p95/p99 of
#   capture → decoded → engine start → engine done → on the bus → at a subscriber,
# next to FFmpeg reading the same relay with its defaults in the same run (capture → decoded; and its demuxer alone,
# capture → packet, not decoded). One run per size and service; each run starts the relay and the service afresh.
#
#   bench/latency/run.sh           # SIZES="640x480 1280x720" SERVICES="frame-processor slam-service" WARMUP=20 RUN_SECONDS=60 BUILD=1
#   BUILD=0 SIZES=640x480 bench/latency/run.sh
#
# Needs: JDK 17, curl, a RabbitMQ on 127.0.0.1:5672. BUILD=1 packages the services
# (./mvnw -B -o -pl ingest-server,frame-processor,slam-service,bench -am package -DskipTests).
# Run it under the shared test lock: flock /tmp/vf-test.lock bench/latency/run.sh
set -euo pipefail
# the services refuse their control API and are not ready without a fleet token (docs/security.md): one per run
export FLEET_API_TOKEN=${FLEET_API_TOKEN:-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=${WORK:-/tmp/latency-bench}
SIZES=${SIZES:-"640x480 1280x720"}
# one service per run, so that each has the machine as it would in production (besides the relay and the readers)
SERVICES=${SERVICES:-"frame-processor slam-service"}
WARMUP=${WARMUP:-20}
RUN_SECONDS=${RUN_SECONDS:-60}
HTTP=${HTTP_PORT:-47480}
RELAY=${RELAY_PORT:-47854}
PIDS=()
mkdir -p "$WORK"
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; PIDS=(); }
trap cleanup EXIT

cd "$ROOT"
if [[ "${BUILD:-1}" == 1 ]]; then
  ./mvnw -B -o -q -pl ingest-server,frame-processor,slam-service,bench -am package -DskipTests
fi
# frame-processor's libraries hold the message records, the AMQP client and JavaCV; video-sim draws the clip;
# common's test classes hold the FFmpeg reference reader, which the dashboard's test shares
CP="$ROOT/video-sim/target/classes:$ROOT/common/target/test-classes:$ROOT/frame-processor/target/quarkus-app/lib/main/*"
app() { echo "$ROOT/$1/target/quarkus-app/quarkus-run.jar"; }
start() { # LOG ARGS...
  local log=$1; shift
  java -Xmx512m "$@" >"$WORK/$log" 2>&1 &
  PIDS+=($!)
}

echo "machine: nproc $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u '+%Y-%m-%d %H:%M UTC')"
for size in $SIZES; do
  w=${size%x*}; h=${size#*x}
  clip="$WORK/panning-$size.mp4"
  [[ -f "$clip" ]] || java -cp "$CP" "$HERE/HopLatency.java" clip "$w" "$h" "$clip"
  stream="latency-$size"
  for service in $SERVICES; do
    start "ingest-$size-$service.log" -Dquarkus.http.port=$HTTP -Dquarkus.http.host=127.0.0.1 -Dfleet.relay.port=$RELAY \
      "-Dfleet.sources.streams.$stream.url=file:$clip" -jar "$(app ingest-server)"
    for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$HTTP/q/health/live" >/dev/null && break; sleep 1; done
    start "$service-$size.log" -Dquarkus.http.port=$((HTTP + 1)) -Dquarkus.http.host=127.0.0.1 \
      "-Dfleet.consumer.relay-url=rtsp://127.0.0.1:$RELAY/" "-Dfleet.consumer.streams=$stream" \
      -Dfleet.consumer.follow-stream-events=false -Dfleet.processor.engine=motion "-Dfleet.slam.output-dir=$WORK/slam-out" \
      -jar "$(app "$service")"
    java -cp "$CP" "$HERE/HopLatency.java" measure "rtsp://127.0.0.1:$RELAY/$stream" "$stream" "$WARMUP" \
      "$RUN_SECONDS" "$service, $size at 30 fps" 2>"$WORK/hop-latency-$size-$service.err" | tee "$WORK/results-$size-$service.md"
    curl -fs -H "Authorization: Bearer $FLEET_API_TOKEN" "http://127.0.0.1:$((HTTP + 1))/streams" | tr ',' '\n' \
      | grep -E '"(fps_in|fps_processed|dropped|frames_in|frames_processed)"' | tr '\n' ' ' || true
    echo
    cleanup
    sleep 3
  done
done
