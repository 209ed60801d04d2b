#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# inline-random123.sh -- copies an OpenCL kernel with each `#include <Random123/...>` line replaced by that header as OpenCL C sees it, so the kernel build needs no Random123 at run time.
#
#   CC=cc bash scripts/inline-random123.sh [-I DIR] kernel.cl > out.cl
#
# DIR holds Random123/ (default /usr/include). Only the included header is
# preprocessed, with the macros an OpenCL compiler predefines and none of the
# host's (-undef), so Random123 takes its OpenCL branch; the kernel's own
# lines, its #if and the -D options of its build are left as they are.
# -dD keeps Random123's #define lines (philox4x32(c, k) is a macro the kernel
# calls); the line markers say which file each line comes from, and only
# lines from under DIR/Random123/ are kept, so nothing of the host's
# (stdc-predef.h, built-in macros, the -D given here) reaches the kernel.
set -euo pipefail
inc=/usr/include
if [ "${1:-}" = "-I" ]; then
    inc=$2
    shift 2
fi
kernel=$1
[ -f "$inc/Random123/philox.h" ] || {
    echo "inline-random123.sh: no $inc/Random123/philox.h (install librandom123-dev)" >&2
    exit 1
}

# Prints header $1 (e.g. Random123/philox.h) preprocessed for OpenCL C.
expand() {
    echo "/* <$1> from Random123 (Copyright 2010-2011, D. E. Shaw Research; BSD 3-clause"
    echo " * licence), preprocessed for OpenCL C by scripts/inline-random123.sh. */"
    printf '#include <%s>\n' "$1" |
        "${CC:-cc}" -E -dD -undef -nostdinc -D__OPENCL_VERSION__=120 -D__OPENCL_C_VERSION__=120 \
            -I"$inc" -x c - |
        awk -v dir="$inc/Random123/" '
            /^# [0-9]+ "/ { file = $3; gsub(/"/, "", file); keep = index(file, dir) == 1; next }
            keep && NF > 0 { print }'
    echo "/* end of <$1> */"
}

while IFS= read -r line || [ -n "$line" ]; do
    if [[ $line =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\<(Random123/[^>]+)\> ]]; then
        expand "${BASH_REMATCH[1]}"
    else
        printf '%s\n' "$line"
    fi
done < "$kernel"
