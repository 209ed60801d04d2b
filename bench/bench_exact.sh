#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench_exact.sh -- the exact engine against the plain Python reference on the same queries, in one run.
#
#   bash bench/bench_exact.sh        (from anywhere; `make bench` runs it too)
#
# Builds build/bench/bench_exact (through make, against build/libpn.a), then:
#  - 600 hosts x 16 per host x 4800 guests, both models: C (best of 5) and
#    bench/exact_reference.py (one run), checks the two histograms are
#    identical, prints both times and their ratio (target: C >= 50x faster);
#  - 1000 hosts x 16 per host x 8000 guests, both models: C alone (target:
#    under a second).
# Prints PASS or FAIL per target; a missed target does not change the exit
# status (timings on a shared machine are noisy). Exit 1 when the histograms
# differ or a program fails.
set -euo pipefail

cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
out=${BENCH_DIR:-build/bench}
exact=$out/bench_exact
[ -n "${BENCH_NO_BUILD:-}" ] || make -s --no-print-directory "$exact"

# seconds_of FILE: the number before " s" on the timing line a tool wrote.
seconds_of() { sed -n 's/.*: \([0-9.]*\) s$/\1/p' "$1"; }
verdict() { if [ "$1" = 1 ]; then echo PASS; else echo FAIL; fi; }

status=0
printf '  %-24s %12s %12s %9s  %s\n' "query" "exact (s)" "python (s)" "ratio" "target >= 50x"
for model in uniform slots; do
    q="600 16 4800 $model"
    "$exact" $q 5 > "$out/exact_c.txt" 2> "$out/exact_c.time"
    "$PYTHON" bench/exact_reference.py $q > "$out/exact_py.txt" 2> "$out/exact_py.time"
    c=$(seconds_of "$out/exact_c.time")
    py=$(seconds_of "$out/exact_py.time")
    ratio=$(awk -v a="$py" -v b="$c" 'BEGIN { printf "%.0f", a / b }')
    printf '  %-24s %12s %12s %8sx  %s\n' "600/16/4800 $model" "$c" "$py" "$ratio" \
        "$(verdict $(( ratio >= 50 )))"
    if ! cmp -s "$out/exact_c.txt" "$out/exact_py.txt"; then
        echo "  MISMATCH: exact engine and Python reference disagree on 600/16/4800 $model"
        status=1
    fi
done
for model in uniform slots; do
    "$exact" 1000 16 8000 "$model" 3 > /dev/null 2> "$out/exact_c.time"
    c=$(seconds_of "$out/exact_c.time")
    fast=$(awk -v t="$c" 'BEGIN { print (t < 1.0) ? 1 : 0 }')
    printf '  %-24s %12s %12s %9s  %s (target < 1 s)\n' "1000/16/8000 $model" "$c" "-" "-" \
        "$(verdict "$fast")"
done
echo "  (histograms of exact engine and Python reference identical: $([ $status = 0 ] && echo yes || echo NO))"
exit "$status"
