#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# install-deps.sh -- installs the Debian packages the build and tests need, only those missing.
set -euo pipefail
# librandom123-dev is needed to build only: its Philox is inlined into the binary.
# python3-jsonschema: the tests validate every JSON document against doc/powernap_calculator.schema.json.
packages=(make gcc pkg-config ocl-icd-opencl-dev opencl-headers pocl-opencl-icd libcriterion-dev libgmp-dev clinfo
          librandom123-dev libopenmpi-dev openmpi-bin libcairo2-dev nettle-dev libmpfr-dev groff-base
          libsqlite3-dev python3 python3-jsonschema)
packages+=(${PN_EXTRA_PACKAGES:-})
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "install-deps: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq "${missing[@]}"
