#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""powernap_2009.py -- the 2009 powernap_calculator's brute force, re-created in Python 3 as the end-to-end reference.

Usage: powernap_2009.py HOSTS PER_HOST GUESTS

Does what the 2009 blog post describes, the same way: for each of the
(p+1)^h integers, convert it to a list of h base-(p+1) digits, sum the list,
throw out the scenario when the sum is not g, otherwise count the zeros in
the list. Nothing is skipped or cached. Prints the histogram, bins[k] for
k = 0..HOSTS one per line (scenarios with k napping hosts), on stdout, and
"python2009 H/P/G: SECONDS s" on stderr. The 2009 tool also redrew a
"Calculating...NN%" line as it went; that is left out here, which only makes
this reference faster.
"""
import sys
import time


def to_base(number, base, width):
    """The digits of number in base `base`, least significant first, padded to width."""
    digits = []
    while number > 0:
        digits.append(number % base)
        number = number // base
    while len(digits) < width:
        digits.append(0)
    return digits


def calculate(hosts, per_host, guests):
    """bins[k]: scenarios of guests on hosts (at most per_host each) with k empty hosts."""
    bins = [0] * (hosts + 1)
    base = per_host + 1
    for i in range(base ** hosts):
        scenario = to_base(i, base, hosts)
        if sum(scenario) != guests:
            continue  # an invalid scenario
        bins[scenario.count(0)] += 1
    return bins


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: powernap_2009.py HOSTS PER_HOST GUESTS")
    hosts, per_host, guests = (int(a) for a in sys.argv[1:])
    start = time.perf_counter()
    bins = calculate(hosts, per_host, guests)
    took = time.perf_counter() - start
    sys.stdout.write("".join("%d\n" % b for b in bins))
    sys.stderr.write("python2009 %d/%d/%d: %.3f s\n" % (hosts, per_host, guests, took))


if __name__ == "__main__":
    main()
