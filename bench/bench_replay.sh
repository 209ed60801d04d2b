#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench_replay.sh -- the trace replay's speed: a generated trace of VMS VMs replayed on HOSTS hosts under every policy, VMs/s and seconds each.
#
#   bash bench/bench_replay.sh      (bench/bench.sh runs it as its part 9)
#
# The trace (awk, seeded, so every run replays the same one) has VMs
# arriving every DURATION/VMS seconds on average (exponential gaps), living
# exponentially LIFETIME seconds on average, of 1, 2, 4 or 8 cores (40, 30,
# 20, 10%) and 2 to 32 memory: about 70% of a fleet of HOSTS hosts of 16
# cores and 64 memory is busy, so first-fit scans deep into the fleet. Each
# policy is timed end to end (reading the 25 MB CSV and sorting the events
# included): wall time, and the CPU time (user + system) it took, which a
# loaded machine inflates less. Target: each policy under 10 s of wall time.
# PASS/FAIL never changes the exit status (a shared machine is noisy); exit
# 1 when a run fails.
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=${BIN:-./powernap_calculator}
BENCH_DIR=${BENCH_DIR:-build/bench}
VMS=${BENCH_REPLAY_VMS:-1000000} HOSTS=${BENCH_REPLAY_HOSTS:-1000}
DURATION=${BENCH_REPLAY_DURATION:-1000000} LIFETIME=${BENCH_REPLAY_LIFETIME:-4300}
mkdir -p "$BENCH_DIR"
TRACE=$BENCH_DIR/replay-$VMS.csv

if [ ! -s "$TRACE" ]; then
    awk -v n="$VMS" -v d="$DURATION" -v l="$LIFETIME" 'BEGIN {
        srand(2009); print "start,end,cores,memory"; t = 0
        for (i = 0; i < n; i++) {
            t += -log(1 - rand()) * d / n
            u = rand(); c = u < 0.4 ? 1 : u < 0.7 ? 2 : u < 0.9 ? 4 : 8
            printf "%.3f,%.3f,%d,%d\n", t, t + 0.001 + -log(1 - rand()) * l, c, c * (2 + int(rand() * 4))
        }
    }' > "$TRACE"
fi
echo "  trace: $VMS VMs ($(du -h "$TRACE" | cut -f1)), fleet ${HOSTS}x16/64"

# "WALL CPU": the seconds "$@" took, output discarded.
seconds() {
    local TIMEFORMAT='%R %U %S'
    { time "$@" > /dev/null; } 2>&1 | awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }'
}

echo "  load average $(cut -d' ' -f1-3 /proc/loadavg)"
for policy in first-fit best-fit worst-fit round-robin random; do
    read -r wall cpu < <(seconds "$BIN" -q --trace "$TRACE" --simulate "$policy" \
                         --fleet "${HOSTS}x16/64" -f json)
    savings=$("$BIN" -q --trace "$TRACE" --simulate "$policy" --fleet "${HOSTS}x16/64" -f csv |
              awk -F, 'NR == 2 { printf "%.1f%% savings, %d rejected", $10, $4 }')
    printf '  %-12s %6s s (cpu %5s s)  %8.0f VMs/s  (%s)  target < 10 s: %s\n' "$policy" \
        "$wall" "$cpu" "$(awk -v n="$VMS" -v t="$wall" 'BEGIN { print n / t }')" "$savings" \
        "$(awk -v t="$wall" 'BEGIN { print (t < 10) ? "PASS" : "FAIL" }')"
done
