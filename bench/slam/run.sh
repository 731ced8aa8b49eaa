#!/usr/bin/env bash
# SLAM throughput at 640x480 on this machine, in two parts:
#  1. the tracker alone on the decoded synthetic sequence (450 frames, 3 passes, the last reported), with per-stage
#     timing and references measured in the same run: FFmpeg decoding of the same clip and the bare OpenCV front end
#     of two-frame VO demos (corners + KLT, no geometry); OpenCV with 1 and 2 threads;
#  2. the service as deployed: ingest-server relays the clip in real time (30 fps, looping), slam-service pulls it
#     over RTSP, decodes, tracks and publishes; results are read from slam_results_exchange for SECONDS after WARMUP.
#
#   bench/slam/run.sh                  # WIDTH=640 HEIGHT=480 PASSES=3 SERVICE=1 WARMUP=15 SECONDS_PER_RUN=60
#
# The sequence is rendered once and cached under slam-service/target/synthetic (a minute or more at 640x480).
# Reports: slam-service/target/slam-bench.md (part 1) and standard output.
# Needs: JDK 17, curl, a RabbitMQ on 127.0.0.1:5672, the Maven dependencies (./mvnw test-compile once online).
set -euo pipefail
# the services refuse their control API and are not ready without a fleet token (docs/security.md): one per run
export FLEET_API_TOKEN=${FLEET_API_TOKEN:-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WIDTH=${WIDTH:-640}
HEIGHT=${HEIGHT:-480}
WARMUP=${WARMUP:-15}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-60}
HTTP_PORT=${HTTP_PORT:-47280}
RELAY_PORT=${RELAY_PORT:-47682}
SLAM_PORT=${SLAM_PORT:-47082}
WORK=${WORK:-/tmp/slam-bench}
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
cd "$ROOT"
mkdir -p "$WORK"

echo "## tracker alone"
./mvnw -q -pl slam-service test -Dtest=SlamBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfleet.bench.slam=true -Dfleet.bench.width="$WIDTH" -Dfleet.bench.height="$HEIGHT" \
  -Dfleet.bench.passes="${PASSES:-3}"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
cat slam-service/target/slam-bench.md
[ "${SERVICE:-1}" = 1 ] || exit 0

echo
echo "## service: relay -> RTSP -> decode -> track -> publish"
INGEST="$ROOT/ingest-server/target/quarkus-app"
SLAM="$ROOT/slam-service/target/quarkus-app"
if [ ! -f "$INGEST/quarkus-run.jar" ] || [ ! -f "$SLAM/quarkus-run.jar" ]; then
  ./mvnw -q -pl ingest-server,slam-service package -DskipTests
fi
CLIP=$(ls "$ROOT"/slam-service/target/synthetic/synthetic-v*-"${WIDTH}x${HEIGHT}"-450-clean.mp4 | tail -1)
# intrinsics of the synthetic camera: 62.7 degrees horizontal field of view, centred principal point
read -r FX CX CY < <(awk -v w="$WIDTH" -v h="$HEIGHT" 'BEGIN { f = w / 2 / (sin(0.5471) / cos(0.5471)); printf "%.4f %.1f %.1f\n", f, (w - 1) / 2, (h - 1) / 2 }')
java -Dquarkus.http.port="$HTTP_PORT" -Dfleet.relay.port="$RELAY_PORT" -Dquarkus.http.host=127.0.0.1 \
  -Dfleet.sources.streams.slambench.url="file:$CLIP" -jar "$INGEST/quarkus-run.jar" >"$WORK/relay.log" 2>&1 &
PIDS+=("$!")
java -Dquarkus.http.port="$SLAM_PORT" -Dquarkus.http.host=127.0.0.1 \
  -Dfleet.consumer.relay-url="rtsp://127.0.0.1:$RELAY_PORT/" -Dfleet.consumer.streams=slambench \
  -Dfleet.consumer.follow-stream-events=false -Dfleet.slam.output-dir="$WORK/out" \
  -Dfleet.slam.cameras.slambench.fx="$FX" -Dfleet.slam.cameras.slambench.fy="$FX" \
  -Dfleet.slam.cameras.slambench.cx="$CX" -Dfleet.slam.cameras.slambench.cy="$CY" \
  -jar "$SLAM/quarkus-run.jar" >"$WORK/slam.log" 2>&1 &
SLAM_PID=$!
PIDS+=("$SLAM_PID")
TICKS=$(getconf CLK_TCK)
CPU0=$(awk '{ print $14 + $15 }' "/proc/$SLAM_PID/stat")
# (the AMQP client's SLF4J finds no logging backend outside Quarkus and says so on stderr)
java -cp "$SLAM/lib/main/*" "$HERE/ResultStats.java" slambench "$WARMUP" "$SECONDS_PER_RUN" 2>"$WORK/stats.err" | tee "$WORK/service.md"
CPU1=$(awk '{ print $14 + $15 }' "/proc/$SLAM_PID/stat")
echo "| slam-service CPU over the whole run (100% = one core) | $(( (CPU1 - CPU0) * 100 / TICKS / (WARMUP + SECONDS_PER_RUN) ))% |"
curl -sf -H "Authorization: Bearer $FLEET_API_TOKEN" "http://127.0.0.1:$SLAM_PORT/streams" | tr ',' '\n' | grep -E '"(fps_in|fps_processed|dropped|frames_in|frames_processed)"' | tr '\n' ' '
echo
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
