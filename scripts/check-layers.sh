#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check-layers.sh -- fails when the code's layers stop pointing one way: an include that climbs, a circle, a long file.
#
#   scripts/check-layers.sh [BUILD_DIR]
#
# The layers, lowest first. A file may include its own layer's headers and
# any lower layer's, never a higher one's. With BUILD_DIR, the objects there
# are read with nm too: no two files may call each other, directly or round
# a circle (a shared header can hide such a circle from the include check).
set -euo pipefail
cd "$(dirname "$0")/.."
layers=(base question opencl engine simulate replay slice report cli mpi)
max_lines=500
declare -A rank
for i in "${!layers[@]}"; do rank[${layers[$i]}]=$i; done
fail=0

# 1. Every folder under host/ and include/ is a known layer.
for d in host/*/ include/*/; do
    l=$(basename "$d")
    [ -n "${rank[$l]:-}" ] || { echo "check-layers: $d is not a layer (known: ${layers[*]})"; fail=1; }
done

# 2. No include climbs, and no header includes itself round a circle.
edges=$(mktemp); trap 'rm -f "$edges"' EXIT
for f in host/*/*.[ch] include/*/*.h; do
    from=$(basename "$(dirname "$f")")
    while read -r inc; do
        to=${inc%%/*}
        if [ "$inc" = "$to" ]; then to=$from; inc=$from/$inc; fi # a private header beside f
        [ -n "${rank[$to]:-}" ] || continue
        if [ "${rank[$to]}" -gt "${rank[$from]}" ]; then
            echo "check-layers: $f includes $inc: $from may not depend on $to (a higher layer)"; fail=1
        fi
        case $f in *.h) echo "$from/$(basename "$f") $inc" >> "$edges" ;; esac
    done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
done
if ! tsort "$edges" > /dev/null 2> "$edges.err"; then
    echo "check-layers: headers that include each other round a circle:"; sed 's/^/  /' "$edges.err"; fail=1
fi
rm -f "$edges.err"

# 3. No source file over the limit.
for f in host/*/*.[ch]; do
    n=$(wc -l < "$f")
    [ "$n" -le $max_lines ] || { echo "check-layers: $f has $n lines (limit $max_lines)"; fail=1; }
done

# 4. With a build directory: no circle of calls between object files.
if [ $# -ge 1 ]; then
    objs=$(find "$1" -path "$1/tests" -prune -o -path "$1/bench" -prune -o -path "$1/sanitize" -prune \
           -o -path "$1/fuzz" -prune -o -name '*.o' -print | sort)
    calls=$(mktemp)
    # defining object of each symbol, then one edge per undefined use
    for o in $objs; do nm --defined-only -g "$o" | awk -v o="$o" 'NF==3 {print $3, o}'; done | sort -k1,1 > "$calls.def"
    for o in $objs; do nm -u "$o" | awk -v o="$o" '{print $2, o}'; done | sort -k1,1 > "$calls.use"
    join "$calls.use" "$calls.def" | awk '$2 != $3 {print $2, $3}' | sort -u > "$calls"
    if ! tsort "$calls" > /dev/null 2> "$calls.err"; then
        echo "check-layers: files that call each other round a circle:"; sed 's/^/  /' "$calls.err"; fail=1
    fi
    rm -f "$calls" "$calls.def" "$calls.use" "$calls.err"
fi
[ $fail -eq 0 ] && echo "check-layers: ${#layers[@]} layers point one way; no circle; no file over $max_lines lines"
exit $fail
