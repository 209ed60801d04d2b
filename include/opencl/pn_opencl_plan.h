/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_opencl_plan.h -- how the OpenCL engine cuts a slice into kernel work, and the low-digit table it uploads. */
#ifndef PN_OPENCL_PLAN_H
#define PN_OPENCL_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "opencl/pn_kernel_shared.h"
#include "base/pn_status.h"

/* Which kernel a segment runs: count_indices (units are indices) or
 * count_prefixes (units are prefixes of LOW scenarios each). */
enum { PN_KIND_INDEX = 0, PN_KIND_PREFIX = 1 };

/* A run of work for one kernel. */
typedef struct pn_segment {
    int kind;
    uint64_t start, units;
} pn_segment;

/* Everything one request needs on the host: parameters, tables, work. The
 * low table holds `entries` digit sums of sum_bytes each (uchar, ushort or
 * uint for 1, 2, 4), read by the kernel `lanes` at a time (a word), two words
 * per step; each zero class starts on a word and is padded to an even number
 * of words with sum_max, which no sum equals, and weight 0. zero_start
 * counts words. */
typedef struct pn_plan {
    uint64_t hosts, base, guests, first, count;
    bool slots, use_local, constant_tables; /* -D SLOTS, LOCAL_BINS, TABLE */
    unsigned low_digits; /* L; 0 when only count_indices runs */
    uint64_t low;        /* (p+1)^L, the scenarios under one prefix */
    unsigned sum_bytes;  /* 1, 2 or 4 */
    uint64_t sum_max;    /* the padding: 2^(8 sum_bytes) - 1 */
    unsigned lanes;      /* entries per word */
    uint64_t entries;    /* table entries, padding included */
    void *low_sum;
    uint32_t *zero_start;
    uint64_t *low_weight, *binom;
    size_t binom_len;    /* words of binom: one row, or a mixed fleet's rows */
    pn_cl_host *host;    /* a mixed fleet's host table; NULL for one base */
    unsigned levels;     /* guest counts guests, guests+1, ... counted (>= 1) */
    unsigned groups;     /* a mixed fleet's groups (-D PER_HOST_BASES=1); 0 for one base */
    uint64_t nbins;      /* levels * (groups+1) * (hosts+1) */
    pn_segment seg[3];
    int nseg;
} pn_plan;

/* What the devices allow, smallest over all of them: local memory bytes
 * (0 counts straight into the global bins), constant buffer bytes,
 * constant arguments per kernel (below 5 the tables are __global), and the
 * bytes of the kernel's word (16 or 32, see pn_plan_make). */
typedef struct pn_plan_limits {
    uint64_t local_mem, const_mem;
    unsigned const_args;
    unsigned word_bytes;
} pn_plan_limits;

/* What a plan is made for: slice [first, first+count) of the keyspace of
 * `hosts` digits in base `base` (per host + 1) whose scenarios count when
 * they hold `guests` (or each of `levels` guest counts from there), in the
 * slots model or the uniform one. It knows hosts and bases, not questions:
 * the engine turns a question into requests. Meant for designated
 * initialisers; left out, force_low_digits is false and the plan chooses L
 * itself. */
typedef struct pn_plan_request {
    uint64_t hosts, base, guests;
    bool slots;
    uint64_t first, count;
    bool force_low_digits; /* take low_digits as L (the self-test does) */
    unsigned low_digits;
    unsigned sum_bytes; /* entry bytes at least (0: the narrowest that fits) */
    /* A mixed fleet (groups > 0): host j's capacity host_cap[j] (base
     * host_cap[j]+1) and group host_group[j]; the plan's base is then host
     * 0's, and its L low digits are hosts of group 0 only (one base, so
     * the low table is a homogeneous one); both kernels keep per-group
     * napping sums. With levels > 1 both kernels count each guest count
     * in [guests, guests+levels) in one pass. levels 0 means 1. At most
     * PN_CL_MAX_GROUPS groups. */
    unsigned groups, levels;
    const uint64_t *host_cap;
    const unsigned *host_group;
} pn_plan_request;

/* The 64-bit counters a plan for req counts into, the length of the count
 * array pn_opencl_session_count adds to: levels blocks (levels 0 means 1)
 * of hosts+1 counts by napping hosts, each followed, for a mixed fleet, by
 * each group's hosts+1 napping sums: levels * (groups+1) * (hosts+1). */
uint64_t pn_plan_request_bins(const pn_plan_request *req);

/* Builds the plan for req: chooses L (or takes req->low_digits when forced),
 * the table's entry type -- the narrowest of 1, 2 and 4 bytes, at least
 * req->sum_bytes, whose largest value, the padding, exceeds L*p -- and
 * lim->word_bytes / sum_bytes lanes per word, fills the low table
 * ordered by zero count, and splits the slice into a count_indices head,
 * whole prefixes, and a count_indices tail. PN_ERR_NOMEM leaves *pl zeroed,
 * and so does PN_ERR_USAGE for more than PN_CL_MAX_GROUPS groups. */
pn_status pn_plan_make(pn_plan *pl, const pn_plan_limits *lim, const pn_plan_request *req,
                       pn_error *err);

/* The table entry bytes (1, 2 or 4) pn_plan_make chooses for req, without
 * making the tables: what decides which build a request runs on. */
unsigned pn_plan_sum_bytes(const pn_plan_request *req);

/* Frees the plan's tables; safe on a zeroed plan. */
void pn_plan_free(pn_plan *pl);

/* The kernel build options of a plan, which name its build shape: SLOTS,
 * TABLE, SUM_T, SUM_MAX, LANES, PER_HOST_BASES (a mixed fleet) and
 * LOCAL_BINS (a __local histogram, or counts straight into the global bins);
 * everything else reaches the kernels as arguments, so one build serves
 * every plan of a shape. */
void pn_plan_options(const pn_plan *pl, char *out, size_t len);

#endif
