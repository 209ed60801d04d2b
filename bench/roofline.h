/* SPDX-License-Identifier: GPL-3.0-or-later */
/* roofline.h -- this machine's peak for the kernel's inner loop, the ceiling the OpenCL engine is measured against. */
#ifndef PN_BENCH_ROOFLINE_H
#define PN_BENCH_ROOFLINE_H

#include <stdbool.h>

/* Entries of the roofline's table: the kernel's largest low table. */
#define ROOFLINE_TABLE 16384

/* The kernel's inner loop as plain C at its best (gcc -O3 -march=native,
 * vector extensions): count the entries of a ROOFLINE_TABLE-entry table equal
 * to one value, value after value, on `threads` threads for about `seconds`.
 * With bits = 8 the entries are bytes, compared 64 at a time into 64 byte
 * counters added up every 255 steps; with bits = 32 they are 32-bit, 16 at a
 * time into 32-bit counters. *rate is the entries compared per second, all
 * threads together, over wall time. False (and *rate 0) when bits is neither
 * 8 nor 32, a thread cannot start, or a count disagrees with a plain scalar
 * loop. */
bool roofline_measure(unsigned bits, unsigned threads, double seconds, double *rate);

#endif
