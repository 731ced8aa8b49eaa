#!/usr/bin/env bash
# Parity of the frame-processor sam2 engine with SAM2's reference PyTorch video predictor, on random weights:
#
#   bench/sam2/parity.sh /path/to/sam2-checkout
#
# 1. exports SAM2.1-tiny with random weights (seed 0) with deploy/models/export_sam2.py into $MODELS, unless there;
# 2. Java (frame-processor's test class Sam2ParityDump): cuts the first frames of $VIDEO to 1024x1024 PNGs and runs
#    the engine on them with parity_prompts.json, dumping logits and object scores per frame and object;
# 3. Python (parity.py reference): the reference predictor on the same PNGs, weights and prompts;
# 4. parity.py compare: logits (max / mean abs difference), object scores, mask IoU; exit 1 beyond the tolerances.
#
# Needs: JDK 17 and Maven (the dependency plugin's own dependencies are fetched once from Maven Central), python3 with torch (Debian 12: python3-torch
# python3-omegaconf python3-onnx python3-pil libopenblas0-pthread), the sam2 sources (a checkout of
# facebookresearch/sam2), opencv-doc for vtest.avi. Env: MODELS (default target/sam2-parity/models), VIDEO, OUT,
# PYTHON (default /usr/bin/python3), LOCK (a flock file the Maven and torch steps run under, default none), PROMPTS
# (default parity_prompts.json), OBJ_SCORE_AFFINE ("K C": object scores become K * (score - C) in the export and the
# reference, a test device that makes objects go occluded with random weights; docs/sam2-onnx.md; default off).
set -euo pipefail

SAM2=$(cd "${1:?usage: parity.sh SAM2_SOURCES}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=${OUT:-$ROOT/target/sam2-parity}
MODELS=${MODELS:-$OUT/models}
VIDEO=${VIDEO:-/usr/share/doc/opencv-doc/examples/data/vtest.avi}
PROMPTS=${PROMPTS:-$HERE/parity_prompts.json}
PYTHON=${PYTHON:-/usr/bin/python3}
AFFINE=(${OBJ_SCORE_AFFINE:+--obj-score-affine $OBJ_SCORE_AFFINE})
locked() { if [ -n "${LOCK:-}" ]; then flock "$LOCK" "$@"; else "$@"; fi; }

mkdir -p "$OUT"
cd "$ROOT"
if [ ! -f "$MODELS/tiny-fp32/weights.sha256" ]; then
  locked env PYTHONPATH="$SAM2" "$PYTHON" -u deploy/models/export_sam2.py --size tiny --random-weights "${AFFINE[@]}" --out "$MODELS"
fi
rm -rf "$OUT/java" "$OUT/reference" "$OUT/frames"
read -r COUNT SIDE < <("$PYTHON" -c 'import json, sys; d = json.load(open(sys.argv[1])); print(d["frames"], d["side"])' "$PROMPTS")
./mvnw -q -pl frame-processor -am test-compile dependency:build-classpath -Dmdep.outputFile="$OUT/classpath.txt" >/dev/null
CP="$ROOT/frame-processor/target/classes:$ROOT/frame-processor/target/test-classes:$(cat "$OUT/classpath.txt")"
DUMP=io.visionfleet.frameprocessor.sam2.Sam2ParityDump
java -cp "$CP" $DUMP frames "$VIDEO" "$OUT/frames" "$COUNT" "$SIDE"
locked bash -c 'start=$(date +%s); java -Xmx6g -cp "$1" '$DUMP' engine "$2" "$3" "$4" "$5"; echo "engine: $(( $(date +%s) - start )) s"' \
  _ "$CP" "$MODELS" "$OUT/frames" "$PROMPTS" "$OUT/java"
locked "$PYTHON" "$HERE/parity.py" reference --sam2 "$SAM2" --models "$MODELS" --frames "$OUT/frames" \
  --prompts "$PROMPTS" --out "$OUT/reference" "${AFFINE[@]}"
"$PYTHON" "$HERE/parity.py" compare --reference "$OUT/reference" --java "$OUT/java" "${AFFINE[@]}" "${@:2}"
