#!/usr/bin/env bash
# PTZ latency benchmark: from frame capture to PTZ command, through the real relay, frame-processor (motion engine)
# and broker. Starts ingest-server, frame-processor and ptz-service with its simulated camera publishing into the
# relay (the runner world, 640x360 at 15 fps), waits WARMUP seconds, then joins processed_frames_exchange and
# ptz_commands_exchange on capture_ts for SECONDS and prints p50/p99 of
#   capture -> result arriving at a bus consumer (the reference, measured in the same run),
#   capture -> PTZ command issued, and the difference (ptz-service's own share).
#
#   bench/ptz/run.sh        # RUN_SECONDS=60 WARMUP=20 by default
#
# Needs: JDK 17, a RabbitMQ on 127.0.0.1:5672, the packaged jars (BUILD=1 packages them:
# ./mvnw -pl ingest-server,frame-processor,ptz-service -am package -DskipTests).
set -euo pipefail
# the services refuse their control API and are not ready without a fleet token (docs/security.md): one per run
export FLEET_API_TOKEN=${FLEET_API_TOKEN:-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=${WORK:-/tmp/ptz-bench}
SECONDS_RUN=${RUN_SECONDS:-60}
WARMUP=${WARMUP:-20}
HTTP=${HTTP_PORT:-47380}
RELAY=${RELAY_PORT:-47754}
STREAM=ptz-bench
PIDS=()
mkdir -p "$WORK"
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

if [[ "${BUILD:-0}" == 1 ]]; then
  (cd "$ROOT" && ./mvnw -q -B -pl ingest-server,frame-processor,ptz-service -am package -DskipTests)
fi
jar() { echo "$ROOT/$1/target/quarkus-app/quarkus-run.jar"; }
start() { # LOG ARGS...
  local log=$1; shift
  java -Xmx512m "$@" >"$WORK/$log" 2>&1 &
  PIDS+=($!)
}
start ingest.log -Dquarkus.http.port=$HTTP -Dfleet.relay.port=$RELAY -jar "$(jar ingest-server)"
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$HTTP/q/health/live" >/dev/null && break; sleep 1; done
curl -fs "http://127.0.0.1:$HTTP/q/health/live" >/dev/null || { echo "ingest-server did not start: $WORK/ingest.log" >&2; exit 1; }
start processor.log -Dquarkus.http.port=$((HTTP + 1)) "-Dfleet.consumer.relay-url=rtsp://127.0.0.1:$RELAY/" \
  -Dfleet.consumer.streams=$STREAM -Dfleet.consumer.follow-stream-events=false -Dfleet.processor.engine=motion \
  -jar "$(jar frame-processor)"
start ptz.log -Dquarkus.http.port=$((HTTP + 4)) -Dfleet.ptz.cameras.sim.stream=$STREAM \
  "-Dfleet.ptz.cameras.sim.simulator.ingest-url=ws://127.0.0.1:$HTTP" -jar "$(jar ptz-service)"
echo "warming up for $WARMUP s (logs in $WORK)"
sleep "$WARMUP"

AMQP=$(ls ~/.m2/repository/com/rabbitmq/amqp-client/*/amqp-client-*.jar | grep -v sources | tail -1)
SLF4J=$(ls ~/.m2/repository/org/slf4j/slf4j-api/*/slf4j-api-*.jar | grep -v sources | tail -1)
echo "nproc $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
java -cp "$AMQP:$SLF4J" "$HERE/PtzLatency.java" "$STREAM" "$SECONDS_RUN"
