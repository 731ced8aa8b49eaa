#!/usr/bin/env bash
# Motion-engine benchmark: pipeline fps and per-stage latency at 640x480 and 1280x720 on this machine, with two
# references measured in the same run on the same frames (FFmpeg decoding, OpenCV MOG2 alone).
#
#   bench/frame-processor/run.sh                 # FRAMES=600 SIZES="640x480 1280x720" by default
#
# Needs: JDK 17 and the project built once (./mvnw -pl common install -DskipTests; ./mvnw -pl frame-processor compile).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
FRAMES=${FRAMES:-600}
SIZES=${SIZES:-"640x480 1280x720"}
CP_FILE=$(mktemp)
trap 'rm -f "$CP_FILE"' EXIT

cd "$ROOT"
./mvnw -q -pl frame-processor compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null
# shellcheck disable=SC2086
java -Xmx2g -cp "$ROOT/frame-processor/target/classes:$(cat "$CP_FILE")" "$HERE/MotionBench.java" "$FRAMES" $SIZES
