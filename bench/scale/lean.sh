# Sourced by the scale benchmarks: their own Java programs, compiled once into $WORK/probe-classes and run lean.
# Run from source, a probe compiles itself (and the JIT then compiles javac) inside the window it measures; and the
# load generator and the probes are not the fleet: C1 compiles their few hot paths at a fraction of C2's cost.
PROBES=$WORK/probe-classes
LEAN=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC)
mkdir -p "$PROBES"
compile_probe() { # source-file class-path
  javac -nowarn -d "$PROBES" -cp "$2" "$1"
}
