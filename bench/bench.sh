#!/usr/bin/env bash
# bench.sh -- `make bench`: every engine's throughput, the seed's 10/4/20 against the 2009 algorithm, and the exact engine, measured in one run on this machine.
#
#   make bench      (builds ./powernap_calculator and build/bench/*, then runs this)
#
# 1. scenarios/s of the plain C odometer (bench/odometer_baseline.c), the cpu
#    engine (both on a SLICE-scenario slice of h/p/g) and the OpenCL engine on
#    every device (whole keyspace), best of REPEATS, with ratios to the
#    baseline; target OpenCL >= 10x baseline.
# 2. ./powernap_calculator -h 10 -p 4 -g 20 --engine opencl -q (best of 3, wall
#    time) against bench/powernap_2009.py (once); target ours < 1/50 of it.
# 3. bench/bench_exact.sh: the exact engine against its Python reference.
# 4. every load level at once: -h 200 -p 8 -g all on the exact engine (wall
#    time, target under 10 s), three levels checked against single runs.
# Targets print PASS or FAIL and never change the exit status (a shared
# machine is noisy); exit 1 when an engine fails or two answers differ.
set -euo pipefail

cd "$(dirname "$0")/.."
BENCH_DIR=${BENCH_DIR:-build/bench}
BIN=${BIN:-./powernap_calculator}
PYTHON=${PYTHON:-python3}
H=${BENCH_H:-14} P=${BENCH_P:-4} G=${BENCH_G:-28}
SLICE=${BENCH_SLICE:-500000000} REPEATS=${BENCH_REPEATS:-3}
errors=0
mkdir -p "$BENCH_DIR"

cpu_model() { sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1; }
verdict() { if [ "$1" = 1 ]; then echo PASS; else echo FAIL; fi; }

echo "== powernap_calculator $(cat VERSION) bench, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(cpu_model); $(grep -c '^processor' /proc/cpuinfo) cores (nproc $(nproc));" \
     "load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "compiler: $(${CC:-cc} --version | head -n 1); python: $($PYTHON --version 2>&1)"
echo "OpenCL devices:"
"$BIN" --list-devices | sed 's/^/  /' || { echo "  (none)"; errors=1; }

echo
echo "== 1. throughput: h=$H p=$P g=$G, keyspace $("$BIN" --keyspace -h "$H" -p "$P");" \
     "baseline and cpu engine on scenarios [0, $SLICE), OpenCL on all; best of $REPEATS"
"$BENCH_DIR/bench_throughput" "$H" "$P" "$G" "$SLICE" "$REPEATS" || errors=1

echo
echo "== 2. end to end: the seed's 10/4/20 by brute force"
best=
for run in 1 2 3; do
    t0=$EPOCHREALTIME
    "$BIN" -h 10 -p 4 -g 20 --engine opencl -q > "$BENCH_DIR/e2e_report.txt" || errors=1
    t=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.4f", b - a }')
    best=$(awk -v a="$t" -v b="${best:-1e9}" 'BEGIN { print (a < b) ? a : b }')
done
"$BIN" -h 10 -p 4 -g 20 --engine opencl -q -f csv | awk -F, 'NR > 1 { print $3 }' \
    > "$BENCH_DIR/e2e_ours.txt" || errors=1
t0=$EPOCHREALTIME
"$PYTHON" bench/powernap_2009.py 10 4 20 > "$BENCH_DIR/e2e_2009.txt" 2> "$BENCH_DIR/e2e_2009.time" \
    || errors=1
py=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.4f", b - a }')
ratio=$(awk -v a="$py" -v b="$best" 'BEGIN { printf "%.0f", a / b }')
printf '  %-62s %8.3f s (best of 3, wall)\n' "./powernap_calculator -h 10 -p 4 -g 20 --engine opencl -q" "$best"
printf '  %-62s %8.3f s (one run, wall)\n' "bench/powernap_2009.py 10 4 20 (the 2009 algorithm, Python 3)" "$py"
echo "  ours is ${ratio}x faster; target ours < 1/50 of the 2009 algorithm: $(verdict $(( ratio > 50 )))"
if cmp -s "$BENCH_DIR/e2e_ours.txt" "$BENCH_DIR/e2e_2009.txt"; then
    echo "  histograms agree: [$(paste -sd, "$BENCH_DIR/e2e_ours.txt")]"
else
    echo "  MISMATCH: ours [$(paste -sd, "$BENCH_DIR/e2e_ours.txt")]," \
         "2009 [$(paste -sd, "$BENCH_DIR/e2e_2009.txt")]"
    errors=1
fi

echo
echo "== 3. exact engine against the plain Python formulas (bench/bench_exact.sh)"
BENCH_DIR=$BENCH_DIR BENCH_NO_BUILD=${BENCH_NO_BUILD:-} bash bench/bench_exact.sh || errors=1

echo
echo "== 4. every load level at once: 200 hosts x 8, -g all (0..1600) on the exact engine"
t0=$EPOCHREALTIME
"$BIN" -h 200 -p 8 -g all -e exact -q -f csv > "$BENCH_DIR/sweep.csv" || errors=1
t=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')
rows=$(( $(wc -l < "$BENCH_DIR/sweep.csv") - 1 ))
fast=$(awk -v t="$t" 'BEGIN { print (t < 10.0) ? 1 : 0 }')
printf '  %-62s %8.3f s (%d guest counts, wall); target < 10 s: %s\n' \
    "./powernap_calculator -h 200 -p 8 -g all -e exact -q -f csv" "$t" "$rows" "$(verdict "$fast")"
for g in 0 800 1599; do
    single=$("$BIN" -h 200 -p 8 -g "$g" -e exact -q -f json |
             sed -n 's/^  "expected_savings_percent": \([^,]*\),*$/\1/p')
    swept=$(awk -F, -v g="$g" 'NR > 1 && $1 == g { print $2 }' "$BENCH_DIR/sweep.csv")
    if [ -z "$single" ] || [ "$single" != "$swept" ]; then
        echo "  MISMATCH at g=$g: sweep '$swept', single run '$single'"
        errors=1
    fi
done
echo "  sweep rows at g = 0, 800, 1599 equal single runs: $([ "$errors" = 0 ] && echo yes || echo NO)"

echo
[ "$errors" = 0 ] && echo "bench: done, every answer agreed" || echo "bench: ERRORS above"
exit "$errors"
