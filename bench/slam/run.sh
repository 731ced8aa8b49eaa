#!/usr/bin/env bash
# SLAM tracker throughput at 640x480 on this machine, with per-stage timing and references measured in the same
# run: FFmpeg decoding of the same clip and the bare OpenCV front end of two-frame VO demos (corners + KLT).
#
#   bench/slam/run.sh                  # WIDTH=640 HEIGHT=480 PASSES=3 by default
#
# The synthetic 450-frame sequence is rendered once and cached under slam-service/target/synthetic (the first run
# at 640x480 spends a minute or more there). The report lands in slam-service/target/slam-bench.md.
# Needs: JDK 17; the Maven dependencies of slam-service (./mvnw -pl slam-service test-compile once online).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
./mvnw -q -o -pl slam-service test -Dtest=SlamBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfleet.bench.slam=true -Dfleet.bench.width="${WIDTH:-640}" -Dfleet.bench.height="${HEIGHT:-480}" \
  -Dfleet.bench.passes="${PASSES:-3}"
echo "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg)"
cat slam-service/target/slam-bench.md
