#!/bin/sh
# Build ring_dump and run it once by hand: test/mpi/run.sh NP OUTDIR SEED COUNT...
set -eu
here=$(cd "$(dirname "$0")" && pwd)
np=$1; out=$2; shift 2
mkdir -p "$out"
mpicc -O2 -o "$out/ring_dump" "$here/ring_dump.c" -lm
exec timeout 120 mpirun --allow-run-as-root --oversubscribe -np "$np" --bind-to none \
  --mca oob_tcp_if_include lo --mca pml ob1 --mca btl self,vader \
  --mca btl_vader_single_copy_mechanism none \
  --mca coll_tuned_use_dynamic_rules 1 --mca coll_tuned_allreduce_algorithm 4 \
  "$out/ring_dump" "$out" "$@"
