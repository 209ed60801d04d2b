#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench_mpi.sh -- the cost of going through MPI on this machine: two ranks of one POCL thread each against one process of two threads, and rank 0's cost per chunk.
#
#   bash bench/bench_mpi.sh      (bench/bench.sh runs it as its part 5)
#
# Both sides enumerate the same keyspace with the OpenCL engine: one
# ./powernap_calculator with POCL_MAX_PTHREAD_COUNT=2, and `mpirun -np 3
# ./powernap_calculator-mpi` with POCL_MAX_PTHREAD_COUNT=1 in every rank
# (rank 0 coordinates, ranks 1 and 2 enumerate). Rates are end to end (wall
# time of the whole command, start-up included), best of REPEATS, the two
# sides interleaved so the machine's load falls on both; target: MPI >= 0.9
# of the single process. PN_MPI_STATS=1 makes rank 0 report its time per
# chunk, from which the last line works out how many ranks one coordinator
# can feed, and the fixed start-up of mpirun is shown apart. Exit 1 when the answers differ or a run fails; PASS/FAIL never
# changes the exit status (a shared machine is noisy).
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=${BIN:-./powernap_calculator}
MPI_BIN=${MPI_BIN:-${BIN}-mpi}
BENCH_DIR=${BENCH_DIR:-build/bench}
H=${BENCH_MPI_H:-16} P=${BENCH_MPI_P:-4} G=${BENCH_MPI_G:-32}
REPEATS=${BENCH_MPI_REPEATS:-2}
CHUNK_SECONDS=3
mkdir -p "$BENCH_DIR"

if ! command -v mpirun > /dev/null || [ ! -x "$MPI_BIN" ]; then
    echo "  skipped: mpirun or $MPI_BIN is missing (scripts/install-deps.sh installs Open MPI)"
    exit 0
fi
mpirun=(mpirun --oversubscribe -x POCL_MAX_PTHREAD_COUNT=1 -x PN_MPI_STATS=1)
[ "$(id -u)" -eq 0 ] && mpirun+=(--allow-run-as-root)
question=(-h "$H" -p "$P" -g "$G" -e opencl -q -f csv)

# Seconds of wall time of the command after the first argument (its stdout
# to the file named by the first argument, its stderr appended to $BENCH_DIR/mpi.err).
timed() {
    local out=$1
    shift
    local t0=$EPOCHREALTIME
    "$@" > "$out" 2>> "$BENCH_DIR/mpi.err" || { echo "  FAILED: $*" >&2; return 1; }
    awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }'
}
min() { awk -v a="$1" -v b="${2:-1e9}" 'BEGIN { print (a < b) ? a : b }'; }

errors=0
: > "$BENCH_DIR/mpi.err"
best_one= best_mpi=
for run in $(seq "$REPEATS"); do
    t=$(POCL_MAX_PTHREAD_COUNT=2 timed "$BENCH_DIR/mpi_one.csv" "$BIN" "${question[@]}") || errors=1
    best_one=$(min "${t:-1e9}" "$best_one")
    t=$(timed "$BENCH_DIR/mpi_ranks.csv" "${mpirun[@]}" -np 3 "$MPI_BIN" "${question[@]}") || errors=1
    best_mpi=$(min "${t:-1e9}" "$best_mpi")
    cmp -s "$BENCH_DIR/mpi_one.csv" "$BENCH_DIR/mpi_ranks.csv" || { echo "  MISMATCH"; errors=1; }
done

keyspace=$("$BIN" --keyspace -h "$H" -p "$P")
rate() { awk -v k="$keyspace" -v t="$1" 'BEGIN { printf "%.3g", k / t }'; }
ratio=$(awk -v a="$best_one" -v b="$best_mpi" 'BEGIN { printf "%.2f", a / b }')
pass=$(awk -v r="$ratio" 'BEGIN { print (r >= 0.9) ? "PASS" : "FAIL" }')
printf '  %-66s %7.3f s  %s scenarios/s\n' "one process, POCL_MAX_PTHREAD_COUNT=2" "$best_one" \
    "$(rate "$best_one")"
printf '  %-66s %7.3f s  %s scenarios/s\n' "mpirun -np 3 (rank 0 + 2 workers), POCL_MAX_PTHREAD_COUNT=1 each" \
    "$best_mpi" "$(rate "$best_mpi")"
echo "  MPI runs at ${ratio} of the single process (wall time, start-up included," \
     "best of $REPEATS); target >= 0.9: $pass"

start=$(timed /dev/null "${mpirun[@]}" -np 3 "$MPI_BIN" --version) || errors=1
stats=$(grep '^mpi stats:' "$BENCH_DIR/mpi.err" | tail -n 1)
steady=$(sed -n 's/.*(\([0-9.e+]*\) scenarios\/s).*/\1/p' <<< "$stats")
echo "  of which fixed: mpirun starting 3 ranks and ending them (--version) takes ${start} s;" \
     "between the first chunk and the last result the ranks ran at ${steady:-?} scenarios/s"
echo "  rank 0 (last run): ${stats#mpi stats: }"
per_chunk=$(sed -n 's/.*handled each in \([0-9.]*\) us.*/\1/p' <<< "$stats")
if [ -n "$per_chunk" ]; then
    ranks=$(awk -v c="$CHUNK_SECONDS" -v u="$per_chunk" 'BEGIN { printf "%.0f", c * 1e6 / u }')
    echo "  one coordinator feeds ${CHUNK_SECONDS} s / ${per_chunk} us per chunk = about $ranks" \
         "ranks before a worker waits on it"
fi
exit "$errors"
