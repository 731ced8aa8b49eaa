#!/usr/bin/env bash
# PTZ closed loop on the wall clock: two simulated cameras publish into the real relay (ingest-server), the real
# frame-processor tracks them (motion engine), ptz-service steers the simulated motors from its results on the broker.
# Records RUN_SECONDS (80 by default: two passes of the world's 40 s script) and prints, from the simulator's ground
# truth of every rendered picture: the p95 offset of the runner from the centre, the share of pictures with its height
# in the zoom band, pan reversals per camera, handoffs that kept the label and the longest time the walking runner was
# watched by no camera (ptz-service/src/test/.../loop/LoopFigures.java defines them). The end-to-end test once held
# them to p95 < 0.15, in band > 0.8, reversals <= 12, gap <= 2.0 s; on simulated time the sim/GroundTruth* tests do.
#
#   bench/ptz-loop/run.sh                        # RUN_SECONDS=80
#   bench/ptz-loop/run.sh -Dptz.loop.trace=true  # also traces off-centre pictures and gaps over 0.7 s, into
#                                                # ptz-service/target/surefire-reports/*ClosedLoopBench-output.txt
#
# Needs: JDK 17, a RabbitMQ on 127.0.0.1:5672, ingest-server and frame-processor packaged and the modules installed
# (BUILD=1 does it: ./mvnw -pl ptz-service -am install -DskipTests). Report: ptz-service/target/ptz-loop-bench.txt.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
cd "$ROOT"
if [[ "${BUILD:-0}" == 1 ]]; then
  ./mvnw -q -B -pl ptz-service -am install -DskipTests
fi
rm -f ptz-service/target/ptz-loop-bench.txt
echo "nproc $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
./mvnw -q -B -pl ptz-service test -Dtest=ClosedLoopBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfleet.bench.loop="${RUN_SECONDS:-80}" "$@"
cat ptz-service/target/ptz-loop-bench.txt
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
