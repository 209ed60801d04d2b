/* SPDX-License-Identifier: GPL-3.0-or-later */
/* odometer_baseline.h -- the plain single-threaded C loop the benchmark measures every engine against. */
#ifndef PN_BENCH_ODOMETER_BASELINE_H
#define PN_BENCH_ODOMETER_BASELINE_H

#include <stdint.h>

/* Counts scenarios [first, first+count) of the (p+1)^hosts keyspace into
 * bins[k] (hosts+1 entries, added to, not cleared): a scenario whose digits
 * add up to guests adds 1 to bins[number of zero digits]. The odometer is set
 * once by division, then stepped with carries, keeping the digit sum and zero
 * count incrementally: no division in the loop. hosts must be at most 64.
 * The caller keeps first+count within the keyspace. */
void odometer_baseline(unsigned hosts, unsigned per_host, unsigned guests, uint64_t first,
                       uint64_t count, uint64_t *bins);

#endif
