/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_simulate.h -- the scheduler simulation: VMs arriving and leaving under a placement policy, its question and its raw integer counts. */
#ifndef PN_SIMULATE_H
#define PN_SIMULATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/pn_engine.h"
#include "opencl/pn_kernel_shared.h"
#include "base/pn_status.h"

/* How an arriving VM picks its host (see doc/DESIGN.md, "The scheduler simulation").
 * RANDOM: a uniformly random free slot; FIRST_FIT: the lowest-numbered host
 * with room (Eucalyptus GREEDY); BEST_FIT: the fullest host with room, ties
 * to the lowest number; WORST_FIT: the emptiest host, ties to the lowest
 * number; ROUND_ROBIN: the first host with room after the last one used.
 * The values are the simulation kernel's (opencl/pn_kernel_shared.h). */
typedef enum pn_policy {
    PN_POLICY_RANDOM = PN_CL_POLICY_RANDOM,
    PN_POLICY_FIRST_FIT = PN_CL_POLICY_FIRST_FIT,
    PN_POLICY_BEST_FIT = PN_CL_POLICY_BEST_FIT,
    PN_POLICY_WORST_FIT = PN_CL_POLICY_WORST_FIT,
    PN_POLICY_ROUND_ROBIN = PN_CL_POLICY_ROUND_ROBIN
} pn_policy;

#define PN_POLICIES 5

/* Largest cloud a simulation takes: every work-item keeps one count per host,
 * and each work-group a histogram of 2*(hosts+1)+1 64-bit counters in local
 * memory, which must fit the 32 KiB every OpenCL device offers. */
#define PN_SIM_MAX_HOSTS 1024ULL
#define PN_SIM_MAX_PER_HOST 65535ULL

/* Confidence intervals come from this many batches of trajectories (fewer
 * when there are fewer trajectories). */
#define PN_SIM_BATCHES 32u

/* The kernel's and the cpu engine's "no conditioning" value of the observed
 * guest count: no cloud ever holds this many guests. */
#define PN_SIM_ALL_LOADS 0xffffffffu

/* The question. The cloud starts empty; each trajectory runs burn_in + ticks
 * ticks of a Poisson clock of rate load + hosts*per_host (mean lifetimes are
 * the time unit), and every tick after the burn-in is one observation. */
typedef struct pn_sim_query {
    /* As asked (the has_ flags say which options were given). */
    uint64_t hosts, per_host;
    bool has_guests;         /* -g: observe only the ticks with exactly `guests` running */
    uint64_t guests;
    bool has_load;           /* --load given; else the load is guests */
    double load;             /* the offered load (set by resolving when not given) */
    pn_policy policy;
    bool has_trajectories, has_ticks, has_burn_in;
    uint64_t trajectories, ticks, burn_in;
    uint64_t seed;

    /* What pn_sim_query_resolve derives (defaults included); engines, the
     * statistics and the report read these. */
    bool resolved;
    uint64_t slots;          /* hosts * per_host */
    double rate;             /* load + slots: ticks per mean lifetime */
    uint32_t arrive;         /* a tick is an arrival when its first word is below this */
    uint32_t observe;        /* guests, or PN_SIM_ALL_LOADS */
    unsigned batches;        /* min(PN_SIM_BATCHES, trajectories) */
} pn_sim_query;

/* Default trajectories, and ticks and burn-in in mean lifetimes (converted
 * to ticks at the query's rate): +-0.5 percentage points on 10/4/20 within a
 * few seconds on a 2-core CPU. */
#define PN_SIM_DEFAULT_TRAJECTORIES 512u
#define PN_SIM_DEFAULT_LIFETIMES 500u
#define PN_SIM_DEFAULT_BURN_IN_LIFETIMES 10u
#define PN_SIM_DEFAULT_SEED 2009u

/* Validates a simulation question and derives the resolved fields: hosts
 * 1..PN_SIM_MAX_HOSTS, per_host 1..PN_SIM_MAX_PER_HOST, guests <= slots,
 * a load that is given or implied (guests > 0) and finite and above 0,
 * trajectories and ticks >= 1, trajectories * (burn_in + ticks) below 2^63
 * (so no tick number or count wraps). PN_ERR_USAGE naming the problem. */
pn_status pn_sim_query_resolve(pn_sim_query *q, pn_error *err);

/* The trajectories of batch b (b < q->batches): [*first, *first + *count).
 * Batches are consecutive and differ in size by at most one. */
void pn_sim_batch_range(const pn_sim_query *q, unsigned b, uint64_t *first, uint64_t *count);

/* Fails with PN_ERR_INTERRUPTED and "interrupted after P% of the work
 * (done of total ticks)", P rounded down: what every engine says when a
 * stop request ends a simulation. */
pn_status pn_sim_interrupted(uint64_t done, uint64_t total, pn_error *err);

/* "random", "first-fit", "best-fit", "worst-fit", "round-robin". */
const char *pn_policy_name(pn_policy policy);

/* Parses a policy name; false when unknown. */
bool pn_policy_parse(const char *text, pn_policy *out);

/* The raw result: per batch, observed ticks by napping hosts (at exactly
 * `guests` running, and at any load), and the wake-ups (arrivals to a napping
 * host) after the burn-in. Every entry is an exact integer, the same whichever
 * engine, device split or work-group size produced it. Batch b's cells are
 * cells[b * stride ...]: at_guests[0..hosts], all[0..hosts], wakeups. */
typedef struct pn_sim_result {
    uint64_t hosts;
    unsigned batches;
    size_t stride;           /* 2 * (hosts + 1) + 1 */
    uint64_t *cells;
} pn_sim_result;

/* Offsets inside one batch's cells. */
#define PN_SIM_AT(hosts, k) (k)
#define PN_SIM_ALL(hosts, k) ((hosts) + 1 + (k))
#define PN_SIM_WAKEUPS(hosts) (2 * ((hosts) + 1))

/* Allocates a zeroed result for q. PN_ERR_NOMEM on failure. */
pn_status pn_sim_result_init(pn_sim_result *r, const pn_sim_query *q, pn_error *err);

/* Frees the cells; safe on a zeroed or cleared result. */
void pn_sim_result_clear(pn_sim_result *r);

/* The sum over batches of one cell offset (a PN_SIM_* offset). */
uint64_t pn_sim_result_total(const pn_sim_result *r, size_t offset);

/* True when both hold the same cells. */
bool pn_sim_result_equal(const pn_sim_result *a, const pn_sim_result *b);

/* The cpu engine: a plain C simulation of every trajectory, one after the
 * other, on the calling thread; adds into r (initialised for q). Written
 * apart from the kernel so it checks it. Progress and cancel as run->progress. */
pn_status pn_sim_cpu_run(const pn_sim_query *q, pn_run *run, pn_sim_result *r, pn_error *err);

/* The OpenCL engine on run->device (every device with --device all), one
 * trajectory per work-item; adds into r. group is the work-group size, 0 for
 * the device's default; any size gives the same counts. */
pn_status pn_sim_opencl_run(const pn_sim_query *q, pn_run *run, size_t group,
                            pn_sim_result *r, pn_error *err);

/* Runs the engine `kind` names: OPENCL, CPU, or AUTO (OpenCL, falling back to
 * the cpu engine with a note when no OpenCL device exists). EXACT cannot
 * simulate: PN_ERR_USAGE. */
pn_status pn_sim_run(pn_engine_kind kind, const pn_sim_query *q, pn_run *run, pn_sim_result *r,
                     pn_error *err);

#endif
