#!/usr/bin/env bash
# Bus capacity: result messages of a real run (processed frames with their masks, SLAM results), re-addressed to
# STREAMS simulated streams at RATE results/s each, published with confirms through a real RabbitMQ to R storage-like
# consumers (BusLoad.java), for R in CONSUMERS and each routing MODE; beside RabbitMQ's own PerfTest on the same
# broker in the same run, with the same mean message size, rate and queue type.
#
#   bench/bus/run.sh        # NODES="1 3" CONSUMERS="1 2 4" MODES="shared by-stream fanout" STREAMS=1000 RATE=15 SECONDS_EACH=20
#   NODES=1 CONSUMERS=2 MODES=by-stream SECONDS_EACH=20 bench/bus/run.sh
#   NODES=1 CONSUMERS="1 2" MODES="shared per-stream" bench/bus/run.sh   # the archive as routed now: a queue per stream
#
# Brokers: for each entry of NODES, a local cluster of that many nodes of Debian's rabbitmq-server
# (deploy/rabbitmq/local-cluster.sh, data under WORK; AMQP 5681.., management 15681..), started for the run and
# stopped after it, so the machine's broker and any fleet on it are not touched. Quorum queues throughout.
# The sample: a real run of the fleet on a real clip (opencv-doc's vtest.avi at 640x360, 15 fps: ingest-server's file source,
# frame-processor with the motion engine, slam-service), tapped for SAMPLE_SECONDS, kept in WORK/sample.jsonl.
# Needs: JDK 17, curl, rabbitmq-server, ffmpeg and opencv-doc (for the sample), ./mvnw. BUILD=1 packages the services first.
set -euo pipefail
# the services are not ready without a fleet token (docs/security.md): one per run
export FLEET_API_TOKEN=${FLEET_API_TOKEN:-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=${WORK:-/tmp/bus-bench}
NODES=${NODES:-"1 3"}
CONSUMERS=${CONSUMERS:-"1 2 4"}
MODES=${MODES:-"shared by-stream fanout"}
STREAMS=${STREAMS:-1000}
RATE=${RATE:-15}
SECONDS_EACH=${SECONDS_EACH:-20}
SAMPLE_SECONDS=${SAMPLE_SECONDS:-30}
CLIP=${CLIP:-/usr/share/doc/opencv-doc/examples/data/vtest.avi}
HTTP=${HTTP_PORT:-47580}
RELAY=${RELAY_PORT:-47954}
PERFTEST_VERSION=2.22.1
PIDS=()
mkdir -p "$WORK"
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; PIDS=(); }
cluster() { "$ROOT/deploy/rabbitmq/local-cluster.sh" "$1" "$WORK/cluster-$1" ${2:+"$2"} >/dev/null; }
trap 'cleanup; for n in $NODES; do cluster "$n" --stop || true; done' EXIT

cd "$ROOT"
if [[ "${BUILD:-1}" == 1 ]]; then
  ./mvnw -B -o -q -pl ingest-server,frame-processor,slam-service,bench -am package -DskipTests
fi
# frame-processor's libraries hold the AMQP client and Jackson
CP="$ROOT/frame-processor/target/quarkus-app/lib/main/*"
if [[ ! -s $WORK/perftest-cp.txt ]]; then
  ./mvnw -B -q dependency:get -Dartifact=com.rabbitmq:perf-test:$PERFTEST_VERSION
  ./mvnw -B -o -q -f "$HERE/perftest.pom.xml" dependency:build-classpath -Dmdep.outputFile="$WORK/perftest-cp.txt"
fi
# compiled once, so that no run pays (or shares the machine with) a compile
mkdir -p "$WORK/classes"
javac -nowarn -d "$WORK/classes" -cp "$CP" "$HERE/BusLoad.java"
busload() { exec java -Xmx1g -cp "$WORK/classes:$CP" BusLoad "$@" 2>>"$WORK/busload.err"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # utime + stime, in clock ticks
TICKS=$(getconf CLK_TCK)

echo "machine: nproc $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git rev-parse --short HEAD)"

# The sample: the fleet's own results on a real clip, from a one-node broker of the bench's
if [[ ! -s $WORK/sample.jsonl ]]; then
  [[ -f $CLIP ]] || { echo "no $CLIP: apt-get install opencv-doc (or CLIP=another real clip)" >&2; exit 1; }
  # as a drone would send it (issue 32's clip): 640x360, 15 fps, x264 Main, GOP 30
  clip=$WORK/vtest-640x360-15.mp4
  [[ -s $clip ]] || ffmpeg -v error -y -i "$CLIP" -vf scale=640:360,fps=15 -c:v libx264 -profile:v main -g 30 -bf 0 -an "$clip"
  cluster 1
  bus=(-Dfleet.rabbitmq.port=5681)
  java -Xmx512m "${bus[@]}" -Dquarkus.http.port=$HTTP -Dquarkus.http.host=127.0.0.1 -Dfleet.relay.port=$RELAY \
    "-Dfleet.sources.streams.vtest.url=file:$clip" -jar ingest-server/target/quarkus-app/quarkus-run.jar >"$WORK/ingest.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$HTTP/q/health/live" >/dev/null && break; sleep 1; done
  port=$HTTP
  for service in frame-processor slam-service; do
    port=$((port + 1))
    java -Xmx512m "${bus[@]}" -Dquarkus.http.port=$port -Dquarkus.http.host=127.0.0.1 \
      "-Dfleet.consumer.relay-url=rtsp://127.0.0.1:$RELAY/" -Dfleet.consumer.streams=vtest \
      -Dfleet.consumer.follow-stream-events=false -Dfleet.processor.engine=motion "-Dfleet.slam.output-dir=$WORK/slam-out" \
      -jar "$service/target/quarkus-app/quarkus-run.jar" >"$WORK/$service.log" 2>&1 &
    PIDS+=($!)
  done
  sleep 20   # the services start and reach their steady rate; the sample is what they publish after
  (busload capture 127.0.0.1:5681 "$SAMPLE_SECONDS" "$WORK/sample.jsonl")
  cleanup
  cluster 1 --stop
fi
awk -F'\t' '{n[$1]++; b[$1]+=length($2)} END {for (k in n) printf "sample %s: %d results, mean %d bytes\n", k, n[k], b[k]/n[k]}' "$WORK/sample.jsonl"
SIZE=$(awk -F'\t' '{b+=length($2)} END {printf "%d", b/NR}' "$WORK/sample.jsonl")

bench_queues() { # FIELD: its sum over the bench's queues (management API of node 1)
  curl -fs -u guest:guest "http://127.0.0.1:15681/api/queues/%2F?columns=name,$1" | tr '{' '\n' \
    | grep '"name":"bench\.storage' | grep -o "\"$1\":[0-9]*" | cut -d: -f2 | paste -sd+ | bc
}
rate_of() { grep -o "$1 rate avg: [0-9]*" "$2" | grep -o '[0-9]*$'; }

for nodes in $NODES; do
  cluster "$nodes"
  addresses=$(seq 1 "$nodes" | sed 's/.*/127.0.0.1:568&/' | paste -sd,)
  brokers=$(for i in $(seq 1 "$nodes"); do cat "$WORK/cluster-$nodes/rabbit-$i/pid"; printf ' '; done)
  # a fresh cluster's first seconds (queue leaders elected, logs opened, the JIT of both sides) are no one's figure
  (busload topology "$addresses" shared 1 "$STREAMS")
  (busload publish "$addresses" "$WORK/sample.jsonl" "$STREAMS" "$RATE" 5 >/dev/null)
  for r in $CONSUMERS; do
    for mode in $MODES; do
      (busload topology "$addresses" "$mode" "$r" "$STREAMS")
      for i in $(seq 0 $((r - 1))); do
        # each consumer starts on another node, as replicas spread over a cluster would
        first=$(( (i % nodes) + 1 ))
        rotated=$(echo "$addresses" | tr ',' '\n' | awk -v f="$first" 'NR >= f' ; echo "$addresses" | tr ',' '\n' | awk -v f="$first" 'NR < f')
        rotated=$(echo "$rotated" | paste -sd,)
        if [[ $mode == per-stream ]]; then
          (busload consume-streams "$rotated" "$i" "$r" "$STREAMS" "$WORK/archive/$i" >"$WORK/consumer-$i.out") &
        else
          if [[ $mode == shared ]]; then queues=bench.storage.processed_frames,bench.storage.slam_results
          else queues=bench.storage.processed_frames.$i,bench.storage.slam_results.$i; fi
          (busload consume "$rotated" "$queues" "$WORK/archive/$i" >"$WORK/consumer-$i.out") &
        fi
        PIDS+=($!)
      done
      consumers=$((2 * r)); [[ $mode == per-stream ]] && consumers=$STREAMS
      for _ in $(seq 1 240); do [[ $(bench_queues consumers) == "$consumers" ]] && break; sleep 0.5; done
      before=0; for pid in $brokers; do before=$((before + $(cpu_ticks "$pid"))); done
      start=$(date +%s.%N)
      published=$(busload publish "$addresses" "$WORK/sample.jsonl" "$STREAMS" "$RATE" "$SECONDS_EACH" | tail -1)
      for _ in $(seq 1 120); do [[ $(bench_queues messages) == 0 ]] && break; sleep 0.5; done
      after=0; for pid in $brokers; do after=$((after + $(cpu_ticks "$pid"))); done
      elapsed=$(echo "$(date +%s.%N) - $start" | bc)
      cleanup
      wait 2>/dev/null || true
      [[ $mode == shared ]] && shared_rate=$(echo "$published" | grep -o '^published: [0-9]*' | grep -o '[0-9]*$')
      echo "| $nodes | $r | $mode | ${published#published: } | broker cpu $(echo "scale=0; 100 * ($after - $before) / $TICKS / $elapsed" | bc) % |"
      for i in $(seq 0 $((r - 1))); do echo "|   |   | consumer $i | $(grep '^consumer' "$WORK/consumer-$i.out" | cut -d: -f2-) |"; done
      rm -rf "$WORK/archive"
    done
    # the reference: PerfTest, R consumers competing for one quorum queue, same size, rate and confirm window
    uris=$(seq 1 "$nodes" | sed 's#.*#amqp://guest:guest@127.0.0.1:568&#' | paste -sd,)
    # a clean environment: PerfTest takes options from variables named like them (CONSUMERS, RATE, ...), which a caller
    # of this script may have set for the script
    env -i PATH="$PATH" HOME="$HOME" java -cp "$(<"$WORK/perftest-cp.txt")" com.rabbitmq.perf.PerfTest -H "$uris" -x 4 -y "$r" \
      -r $((STREAMS * RATE / 4)) -s "$SIZE" -c 2000 -f persistent --quorum-queue -u bench.perftest -q 1000 -A 200 \
      -z "$SECONDS_EACH" >"$WORK/perftest-$nodes-$r.out" 2>&1 || true
    out=$WORK/perftest-$nodes-$r.out
    latency=$(grep -o 'confirm latency min/median/75th/95th/99th [0-9/]*' "$out" | tail -1 | awk '{split($NF, v, "/"); printf "p50 %.1f ms, p99 %.1f ms", v[2] / 1000, v[5] / 1000}')
    sent=$(rate_of sending "$out"); received=$(rate_of receiving "$out")
    echo "| $nodes | $r | PerfTest (R consumers on one quorum queue) | $sent msg/s sent, $received msg/s received, confirm latency $latency | ours (shared) / PerfTest: $(echo "scale=2; ${shared_rate:-0} / $sent" | bc) |"
  done
  cluster "$nodes" --stop
done
