/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_query.h -- the question being asked: hosts (a homogeneous cloud or a mixed fleet), guests, model, slice. */
#ifndef PN_QUERY_H
#define PN_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gmp.h>

#include "base/pn_status.h"
#include "question/pn_levels.h"

/* Bounds that keep every engine's arithmetic inside 64-bit words (the exact
 * engine multiplies by values up to hosts*per_host). */
#define PN_MAX_HOSTS 1000000ULL
#define PN_MAX_PER_HOST 1000000ULL

/* Which scenarios are equally likely.
 * UNIFORM: every distinct vector (x_1..x_h), 0 <= x_i <= p, sum g (the 2009 model).
 * SLOTS:   every set of g occupied slots among h*p slots, so a vector counts
 *          with weight prod C(p, x_i). */
typedef enum pn_model { PN_MODEL_UNIFORM = 0, PN_MODEL_SLOTS } pn_model;

/* Most host kinds a fleet (--fleet) may name. */
#define PN_MAX_GROUPS 16

/* Most memory one host of a fleet may give (--fleet COUNTxCORES/MEMORY). */
#define PN_MAX_MEMORY 1000000000ULL

/* One kind of host in a fleet: `count` hosts that each run up to `capacity`
 * guests (a replay: cores) and draw `watts` at load (0 when the spec gave no
 * @WATTS). `memory` is each host's memory, which only a replay models (0:
 * not modelled; the snapshot engines refuse a fleet that gives it). */
typedef struct pn_group {
    uint64_t count;
    uint64_t capacity;
    double watts;
    uint64_t memory;
} pn_group;

typedef struct pn_query {
    /* The question as asked. */
    uint64_t hosts;    /* h >= 1 */
    uint64_t per_host; /* p: most guests one host runs */
    uint64_t guests;   /* g <= h*p: the level of a question asked with -g G */
    /* Every question is a list of levels. -g G leaves `levels` empty and
     * pn_query_resolve makes it the one level G; a sweep or a load curve
     * sets a listed pn_levels here (owned by whoever built it, not by the
     * query, which only borrows it) and resolving sets guests to its
     * largest level. Engines fill one histogram per level. */
    pn_levels levels;
    pn_model model;
    /* Every cloud is a fleet: ngroups >= 1 groups; host order is the groups
     * in the spec's order, group 0's hosts first (host 0 is an index's lowest
     * digit, of base capacity+1). As asked, `-h H -p P` leaves ngroups 0 and
     * pn_query_resolve makes it the one group HxP; it then sets hosts to the
     * fleet's host count and per_host to its largest capacity, so `-h H -p P`
     * and `--fleet HxP` are one question. */
    unsigned ngroups;
    pn_group groups[PN_MAX_GROUPS];
    /* Every group has watts: savings are the napping share of the fleet's
     * power, not of its hosts (set by pn_query_resolve). */
    bool weighted;
    /* Enumerating engines only: examine indices [skip, skip+limit) of the
     * (p+1)^h keyspace. With sliced and limit_to_end, pn_query_resolve sets
     * limit to the rest of the keyspace (--skip without --limit). */
    bool sliced;
    bool limit_to_end;
    uint64_t skip;
    uint64_t limit;

    /* What pn_query_resolve derives, once; engines, the report, slices and
     * main() read these instead of computing them again. */
    bool resolved;
    /* The fast path every engine takes, chosen here once: false for a fleet
     * of one group (one radix: decode() with one base, the closed form, no
     * napping sums per group); true for two groups or more, whose hosts each
     * have their own base and whose histograms carry each group's napping
     * sums (even when two groups share a capacity, their watts may differ). */
    bool per_host_bases;
    bool keyspace_fits;   /* (p+1)^h (a fleet: prod (c_j+1)) < 2^64 */
    uint64_t keyspace;    /* that product when keyspace_fits, else 0 */
    /* Only known when keyspace_fits (false otherwise): */
    bool weights_fit;     /* uniform: true; slots: C(capacity, g) < 2^64 */
    size_t weight_bits;   /* slots: the bits C(capacity, g) needs; uniform: 0 */
    uint64_t first;       /* enumeration range [first, first + count), */
    uint64_t count;       /* when keyspace_fits: the slice or everything */
} pn_query;

/* Checks the values a user supplied: h >= 1, h and p within the PN_MAX_*
 * bounds, g <= h*p; for a fleet, 1..PN_MAX_GROUPS groups of at least one
 * host, at most PN_MAX_HOSTS hosts in all, capacities within PN_MAX_PER_HOST,
 * g within the fleet's capacity, and watts either on every group or on none.
 * On failure returns PN_ERR_USAGE with a message naming the problem. Does
 * not look at the keyspace or the slice. */
pn_status pn_query_validate(const pn_query *q, pn_error *err);

/* Validates q, then derives the resolved fields above: the keyspace, whether
 * the slots weights fit 64-bit counters, and the enumeration range. A slice
 * must lie inside a keyspace below 2^64 (PN_ERR_USAGE naming the problem
 * otherwise); an unsliced query resolves whatever its size, since the exact
 * engine answers any size. Resolving twice gives the same result. */
pn_status pn_query_resolve(pn_query *q, pn_error *err);

/* The resolved query q narrowed to indices [first, first + count) of its
 * keyspace, resolved into *out: how every chunk, sample and restored ledger
 * slices a question. PN_ERR_USAGE when the range leaves the keyspace. */
pn_status pn_query_slice(const pn_query *q, uint64_t first, uint64_t count, pn_query *out,
                         pn_error *err);

/* The resolved query q at its i-th level alone (i < q->levels.n): the same
 * cloud, model and range with levels = the one level g_i and what depends
 * on g derived for it (the slots weights' bits). Never validates again:
 * every level was checked when q was resolved. */
pn_query pn_query_level(const pn_query *q, size_t i);

/* PN_OK when pn_query_resolve has accepted q; engines call this first, so a
 * query that skipped validation is refused rather than answered. */
pn_status pn_query_check_resolved(const pn_query *q, pn_error *err);

/* PN_OK when the resolved keyspace is below 2^64; otherwise PN_ERR_USAGE
 * saying how large it is (e.g. "5^40, about 9.1e27"). */
pn_status pn_query_check_keyspace(const pn_query *q, pn_error *err);

/* PN_OK when every count of weighted scenarios fits 64 bits (always for
 * uniform with an enumerable keyspace); otherwise PN_ERR_USAGE naming C(h*p, g) and its size. */
pn_status pn_query_check_weights(const pn_query *q, pn_error *err);

/* Guests the whole cloud can run: h*p, or sum count*capacity of a fleet. */
uint64_t pn_query_capacity(const pn_query *q);

/* The fleet's power at load, sum count*watts (0 unless q->weighted). */
double pn_query_fleet_watts(const pn_query *q);

/* The keyspace (p+1)^h or prod (c_j+1)^(n_j), exactly, into out. */
void pn_query_keyspace_mpz(const pn_query *q, mpz_t out);

/* Writes the keyspace as people read it, e.g. "5^10 = 9765625", a fleet's
 * "5^8 * 17^2 = 112890625" or, past 2^64, "17^1000 (about 1.2e1230)", into buf. */
void pn_query_keyspace_text(const pn_query *q, char *buf, size_t len);

/* The range an enumerating engine examines, read from the resolved query:
 * [*first, *first + *count). PN_ERR_USAGE when q cannot be enumerated
 * (keyspace or slots weights past 64 bits) or was never resolved. */
pn_status pn_query_enumeration_range(const pn_query *q, uint64_t *first,
                                     uint64_t *count, pn_error *err);

/* "uniform" / "slots". */
const char *pn_model_name(pn_model model);

/* Parses "uniform" or "slots"; returns false for anything else. */
bool pn_model_parse(const char *text, pn_model *out);

#endif
