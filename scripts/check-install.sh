#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check-install.sh -- what a packager relies on: make install and uninstall into a temporary DESTDIR (every file where PREFIX, BINDIR, MANDIR, COMPLETIONSDIR say, then nothing left), and no -Werror outside STRICT=1.
#
#   scripts/check-install.sh     (make test runs it, after building the binaries)
#
# Installs twice: once with PREFIX alone, once with BINDIR, MANDIR and
# COMPLETIONSDIR set apart, each time into a fresh DESTDIR; the MPI binary
# is expected when this tree built it.
set -euo pipefail
cd "$(dirname "$0")/.."
make=${MAKE:-make}
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
fail=0
bin=powernap_calculator
mpi=$([ -x $bin-mpi ] && echo yes || true)

# expect MODE PATH: PATH is a regular file with MODE (octal), or a link when MODE is "link"
expect() {
    if [ "$1" = link ]; then
        [ -L "$2" ] || { echo "check-install: $2 is not a symlink"; fail=1; }
    elif [ ! -f "$2" ]; then
        echo "check-install: $2 was not installed"; fail=1
    elif [ "$(stat -c %a "$2")" != "$1" ]; then
        echo "check-install: $2 has mode $(stat -c %a "$2"), not $1"; fail=1
    fi
}

# run NAME VARS...: install with VARS, check, uninstall, check that nothing is left
run() {
    local name=$1 root=$dest/$1 bindir=$2 mandir=$3 compdir=$4
    shift 4
    $make --no-print-directory -s install DESTDIR="$root" "$@" > /dev/null
    expect 755 "$root$bindir/$bin"
    expect 644 "$root$mandir/man1/$bin.1"
    expect 644 "$root$compdir/$bin"
    if [ -n "$mpi" ]; then
        expect 755 "$root$bindir/$bin-mpi"
        expect 644 "$root$mandir/man1/$bin-mpi.1"
        expect link "$root$compdir/$bin-mpi"
    fi
    cmp -s $bin "$root$bindir/$bin" || { echo "check-install: $name: the binary differs"; fail=1; }
    $make --no-print-directory -s uninstall DESTDIR="$root" "$@" > /dev/null
    local left
    left=$(find "$root" ! -type d)
    [ -z "$left" ] || { echo "check-install: $name: uninstall left:"; echo "$left"; fail=1; }
}

# A release build warns without failing; a strict one (make test, CI) fails on a warning.
compile=$($make --no-print-directory -n -B build/base/status.o)
strict=$($make --no-print-directory -n -B STRICT=1 build/base/status.o)
[[ $compile == *"-Wall -Wextra"* && $compile != *-Werror* ]] ||
    { echo "check-install: a release build compiles with: $compile"; fail=1; }
[[ $strict == *"-Wall -Wextra -Werror"* ]] ||
    { echo "check-install: a STRICT=1 build compiles with: $strict"; fail=1; }

run prefix /usr/bin /usr/share/man /usr/share/bash-completion/completions PREFIX=/usr
run apart /opt/pn/sbin /opt/pn/man /etc/bash_completion.d PREFIX=/usr BINDIR=/opt/pn/sbin \
    MANDIR=/opt/pn/man COMPLETIONSDIR=/etc/bash_completion.d
[ $fail -eq 0 ] && echo "check-install: make install and uninstall honour DESTDIR, PREFIX," \
    "BINDIR, MANDIR, COMPLETIONSDIR${mpi:+ (with $bin-mpi)}; -Werror only with STRICT=1"
exit $fail
