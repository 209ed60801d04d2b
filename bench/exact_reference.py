#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""exact_reference.py -- the exact engine's formulas done plainly in Python, as a speed and answer reference.

Usage: exact_reference.py HOSTS PER_HOST GUESTS uniform|slots

Prints the histogram on stdout, bins[k] for k = 0..HOSTS one per line in
decimal (the same text bench/bench_exact prints, so the two can be compared
by hash), and "python H/P/G MODEL: SECONDS s" on stderr, timing the counting
alone. Every term is computed afresh with math.comb: no incremental updates,
no tricks beyond skipping terms that are zero by definition.

bins[k] = C(h,k) * N(h-k), with N(m) the weight of the ways to put g guests
on m hosts leaving none empty:
  uniform: N(m) = sum_j (-1)^j C(m,j) C(g-jp-1, m-1)
  slots:   N(m) = sum_i (-1)^(m-i) C(m,i) C(ip, g)
N(m) is 0 when m*p < g, so m starts at ceil(g/p).
"""
import sys
import time
from math import comb


def nonempty_uniform(m, p, g):
    """Compositions of g into m parts, each 1..p (m >= 1, g >= 1)."""
    total = 0
    for j in range(0, m + 1):
        if g - j * p < m:
            break
        total += (-1) ** j * comb(m, j) * comb(g - j * p - 1, m - 1)
    return total


def nonempty_slots(m, p, g):
    """Sets of g slots among m hosts of p slots touching every host."""
    total = 0
    for i in range(0, m + 1):
        total += (-1) ** (m - i) * comb(m, i) * comb(i * p, g)
    return total


def histogram(h, p, g, model):
    """bins[k] for k = 0..h: scenarios with exactly k empty hosts."""
    bins = [0] * (h + 1)
    if g == 0:
        bins[h] = 1
        return bins
    nonempty = nonempty_uniform if model == "uniform" else nonempty_slots
    m_lo = (g + p - 1) // p
    for m in range(m_lo, h + 1):
        bins[h - m] = comb(h, h - m) * nonempty(m, p, g)
    return bins


def main(argv):
    if len(argv) != 5 or argv[4] not in ("uniform", "slots"):
        sys.stderr.write("usage: exact_reference.py HOSTS PER_HOST GUESTS uniform|slots\n")
        return 2
    h, p, g = int(argv[1]), int(argv[2]), int(argv[3])
    if h < 1 or g > h * p:
        sys.stderr.write("need HOSTS >= 1 and GUESTS <= HOSTS * PER_HOST\n")
        return 2
    start = time.perf_counter()
    bins = histogram(h, p, g, argv[4])
    seconds = time.perf_counter() - start
    if hasattr(sys, "set_int_max_str_digits"):  # Python >= 3.11 caps int -> str
        sys.set_int_max_str_digits(0)
    sys.stdout.write("".join("%d\n" % b for b in bins))
    sys.stderr.write("python %d/%d/%d %s: %.6f s\n" % (h, p, g, argv[4], seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
