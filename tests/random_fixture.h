/* SPDX-License-Identifier: GPL-3.0-or-later */
/* random_fixture.h -- one small deterministic generator for the tests' random cases, so every failure reproduces. */
#ifndef PN_TEST_RANDOM_FIXTURE_H
#define PN_TEST_RANDOM_FIXTURE_H

#include <stdint.h>

/* The next number of the sequence *state seeds (splitmix64: every seed,
 * 0 included, gives a full-period sequence of well-mixed 64-bit values). */
static inline uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

#endif
