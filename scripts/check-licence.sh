#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check-licence.sh -- fails when a source file (C, OpenCL, shell, Makefile, man page) lacks its SPDX licence line.
set -u
cd "$(dirname "$0")/.."
missing=0
for f in host/*/*.[ch] include/*/*.h kernels/*.cl tests/*.[ch] bench/*.[ch] bench/*.sh bench/*.py \
         fuzz/*.c scripts/*.sh scripts/*.py Makefile .ci/run doc/*.1 \
         scripts/powernap_calculator.bash-completion; do
    [ -e "$f" ] || continue
    if ! head -3 "$f" | grep -q 'SPDX-License-Identifier: GPL-3.0-or-later'; then
        echo "check-licence: $f has no 'SPDX-License-Identifier: GPL-3.0-or-later' line in its first three" >&2
        missing=1
    fi
done
exit $missing
