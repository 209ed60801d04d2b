#!/usr/bin/env bash
# bench_exact.sh -- the exact engine against the plain Python reference on the same queries, in one run.
#
#   bash bench/bench_exact.sh        (from the repository root)
#
# Builds build/bench_exact from the few library sources it needs, then:
#  - 600 hosts x 16 per host x 4800 guests, both models: C (best of 5) and
#    bench/exact_reference.py (one run), checks the two histograms are
#    identical, prints both times and their ratio (target: C >= 50x faster);
#  - 1000 hosts x 16 per host x 8000 guests, both models: C alone (target:
#    well under a second).
# Exit status 1 when the histograms differ or a target is missed.
set -euo pipefail

cd "$(dirname "$0")/.."
CC=${CC:-cc}
PYTHON=${PYTHON:-python3}
out=build/bench_exact.d
mkdir -p "$out"

"$CC" -std=c11 -O2 -Wall -Wextra -Werror -Iinclude -D_POSIX_C_SOURCE=200809L \
    bench/bench_exact.c host/engine_exact.c host/query.c host/histogram.c host/status.c \
    -lgmp -lm -o build/bench_exact

# seconds_of FILE: the number before " s" on the timing line a tool wrote.
seconds_of() { sed -n 's/.*: \([0-9.]*\) s$/\1/p' "$1"; }

status=0
printf '%-26s %12s %12s %9s\n' "query" "exact (s)" "python (s)" "ratio"
for model in uniform slots; do
    q="600 16 4800 $model"
    build/bench_exact $q 5 > "$out/c.txt" 2> "$out/c.time"
    "$PYTHON" bench/exact_reference.py $q > "$out/py.txt" 2> "$out/py.time"
    c=$(seconds_of "$out/c.time")
    py=$(seconds_of "$out/py.time")
    ratio=$(awk -v a="$py" -v b="$c" 'BEGIN { printf "%.0f", a / b }')
    printf '%-26s %12s %12s %8sx\n' "600/16/4800 $model" "$c" "$py" "$ratio"
    if ! cmp -s "$out/c.txt" "$out/py.txt"; then
        echo "  MISMATCH: exact engine and Python reference disagree" >&2
        status=1
    fi
    if [ "$ratio" -lt 50 ]; then
        echo "  below target: exact should be at least 50x faster" >&2
        status=1
    fi
done
for model in uniform slots; do
    build/bench_exact 1000 16 8000 "$model" 3 > /dev/null 2> "$out/c.time"
    c=$(seconds_of "$out/c.time")
    printf '%-26s %12s %12s %9s\n' "1000/16/8000 $model" "$c" "-" "-"
    if awk -v t="$c" 'BEGIN { exit !(t >= 1.0) }'; then
        echo "  above target: 1000 hosts should take well under a second" >&2
        status=1
    fi
done
exit "$status"
