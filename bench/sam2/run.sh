#!/usr/bin/env bash
# sam2 engine benchmark on this CPU: per-graph latency and end-to-end fps at SAM2.1-tiny's real tensor shapes, on the
# contract-test graphs (trivial arithmetic: this measures the engine's host side, not SAM2's networks; see
# docs/sam2-onnx.md "SAM2"). For the real networks, export them (deploy/models) and run the service, or on a GPU
# host run gpu_compare.py.
#
#   bench/sam2/run.sh                  # FRAMES=200 OBJECTS="1 4" SIZE=1280x720
#   MODELS=models/sam2 bench/sam2/run.sh   # a real export: <MODELS>/tiny-fp32/*.onnx (export_sam2.py --size tiny)
#   THREADS=1 WARMUP=8 ...                  # ONNX Runtime intra-op threads (default 2), frames not timed (10)
# Reference: torch_reference.py runs the same modules in PyTorch (see docs/benchmarks.md, SAM2).
#
#   ATTENTION=per-object ...                contract graphs with memory attention per object (as exports before
#                                           batching) instead of batched over objects; ATTENTION=compare runs both
#                                           side by side, alternating frame by frame
#   MODELS=... BEFORE=<other export> ...    two exports side by side (e.g. per-object vs batched memory attention)
#   MAX_ATTENTION_BATCH=4 ...               fleet.processor.sam2.max-attention-batch (default here 8, the CUDA default;
#                                           each run ends with its peak RSS;
#                                           a real export's runs at 4-8 objects take GBs: one variant per process)
#   RESIZE="640x480 1280x720" ...           only the encoder input (ResizeBench): fleet.processor.sam2.resize
#                                           pil-bicubic vs linear, and the two resizes alone, per frame size
# Needs: JDK 17 and Maven (the dependency plugin's own dependencies are fetched once from Maven Central).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
FRAMES=${FRAMES:-200}
OBJECTS=${OBJECTS:-"1 4"}
SIZE=${SIZE:-1280x720}
CP_FILE=$(mktemp)
trap 'rm -f "$CP_FILE"' EXIT

cd "$ROOT"
./mvnw -q -pl frame-processor -am test-compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null
CP="$ROOT/frame-processor/target/classes:$ROOT/frame-processor/target/test-classes:$(cat "$CP_FILE")"
if [ -n "${RESIZE:-}" ]; then
  # shellcheck disable=SC2086
  exec java -Xmx1g -cp "$CP" io.visionfleet.frameprocessor.sam2.ResizeBench "$FRAMES" $RESIZE
fi
for n in $OBJECTS; do
  java -Xmx3g -cp "$CP" "$HERE/Sam2Bench.java" "$FRAMES" "$n" "${SIZE%x*}" "${SIZE#*x}" ${MODELS:+"$MODELS"}
done
