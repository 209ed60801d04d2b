/* SPDX-License-Identifier: GPL-3.0-or-later */
/* simulate.c -- the scheduler simulation's question (validation, defaults, batches), its policies' names, and its result. */
#include "simulate/pn_simulate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Counts must stay below this so sums over batches never wrap. */
#define COUNT_LIMIT (1ULL << 63)

static const char *const POLICY_NAMES[PN_POLICIES] = {
    [PN_POLICY_RANDOM] = "random",
    [PN_POLICY_FIRST_FIT] = "first-fit",
    [PN_POLICY_BEST_FIT] = "best-fit",
    [PN_POLICY_WORST_FIT] = "worst-fit",
    [PN_POLICY_ROUND_ROBIN] = "round-robin",
};

const char *pn_policy_name(pn_policy policy)
{
    return (unsigned)policy < PN_POLICIES ? POLICY_NAMES[policy] : "unknown";
}

bool pn_policy_parse(const char *text, pn_policy *out)
{
    for (unsigned i = 0; i < PN_POLICIES; i++)
        if (strcmp(text, POLICY_NAMES[i]) == 0) {
            *out = (pn_policy)i;
            return true;
        }
    return false;
}

/* The cloud itself: sizes within the simulation's bounds, guests that fit. */
static pn_status check_cloud(const pn_sim_query *q, pn_error *err)
{
    if (q->hosts < 1 || q->hosts > PN_SIM_MAX_HOSTS)
        return pn_fail(err, PN_ERR_USAGE, "--simulate takes 1 to %llu hosts, not %llu",
                       PN_SIM_MAX_HOSTS, (unsigned long long)q->hosts);
    if (q->per_host < 1 || q->per_host > PN_SIM_MAX_PER_HOST)
        return pn_fail(err, PN_ERR_USAGE, "--simulate takes 1 to %llu guests per host, not %llu",
                       PN_SIM_MAX_PER_HOST, (unsigned long long)q->per_host);
    if (q->has_guests && q->guests > q->hosts * q->per_host)
        return pn_fail(err, PN_ERR_USAGE, "--guests %llu is more than the %llu slots of %llu hosts",
                       (unsigned long long)q->guests,
                       (unsigned long long)(q->hosts * q->per_host),
                       (unsigned long long)q->hosts);
    if (!q->has_guests && !q->has_load)
        return pn_fail(err, PN_ERR_USAGE, "--simulate needs --guests (-g), --load, or both");
    return PN_OK;
}

/* The offered load: given, or the guests; finite and above 0. */
/* The largest offered load --load accepts. */
#define PN_SIM_MAX_LOAD 1e12

static pn_status check_load(const pn_sim_query *q, double *load, pn_error *err)
{
    *load = q->has_load ? q->load : (double)q->guests;
    if (!q->has_load && *load <= 0)
        return pn_fail(err, PN_ERR_USAGE, "--simulate with --guests 0 offers no load; "
                       "give --load RHO above 0");
    if (!(*load > 0) || !isfinite(*load))
        return pn_fail(err, PN_ERR_USAGE, "--load must be a number above 0");
    /* the default run length is ticks per mean lifetime times a constant:
     * a load past 10^12 guests would make it overflow 64 bits */
    if (*load > PN_SIM_MAX_LOAD)
        return pn_fail(err, PN_ERR_USAGE, "--load %g is too large (at most %g guests)", *load,
                       PN_SIM_MAX_LOAD);
    return PN_OK;
}

/* Run lengths: given or defaulted, at least 1, and small enough that no tick
 * number or count wraps. */
static pn_status check_lengths(pn_sim_query *q, pn_error *err)
{
    if (!q->has_trajectories)
        q->trajectories = PN_SIM_DEFAULT_TRAJECTORIES;
    if (!q->has_ticks)
        q->ticks = (uint64_t)ceil(PN_SIM_DEFAULT_LIFETIMES * q->rate);
    if (!q->has_burn_in)
        q->burn_in = (uint64_t)ceil(PN_SIM_DEFAULT_BURN_IN_LIFETIMES * q->rate);
    if (q->trajectories == 0)
        return pn_fail(err, PN_ERR_USAGE, "--trajectories must be at least 1");
    if (q->ticks == 0)
        return pn_fail(err, PN_ERR_USAGE, "--ticks must be at least 1");
    uint64_t per, total;
    if (__builtin_add_overflow(q->burn_in, q->ticks, &per) ||
        __builtin_mul_overflow(q->trajectories, per, &total) || total >= COUNT_LIMIT)
        return pn_fail(err, PN_ERR_USAGE, "--trajectories x (--burn-in + --ticks) "
                       "must stay below 2^63 ticks");
    return PN_OK;
}

pn_status pn_sim_query_resolve(pn_sim_query *q, pn_error *err)
{
    double load = 0;
    q->resolved = false;
    pn_status st = check_cloud(q, err);
    if (st == PN_OK)
        st = check_load(q, &load, err);
    if (st != PN_OK)
        return st;
    q->load = load;
    q->slots = q->hosts * q->per_host;
    q->rate = load + (double)q->slots;
    /* the arrival probability load/rate in units of 2^-32, rounded down */
    double arrive = floor(ldexp(load / q->rate, 32));
    q->arrive = arrive >= 4294967295.0 ? 0xffffffffu : (uint32_t)arrive;
    q->observe = q->has_guests ? (uint32_t)q->guests : PN_SIM_ALL_LOADS;
    st = check_lengths(q, err);
    if (st != PN_OK)
        return st;
    q->batches = q->trajectories < PN_SIM_BATCHES ? (unsigned)q->trajectories : PN_SIM_BATCHES;
    q->resolved = true;
    return PN_OK;
}

void pn_sim_batch_range(const pn_sim_query *q, unsigned b, uint64_t *first, uint64_t *count)
{
    /* floor(b * M / B) without the product: M = quot * B + rem, rem < B */
    uint64_t quot = q->trajectories / q->batches, rem = q->trajectories % q->batches;
    uint64_t lo = b * quot + b * rem / q->batches;
    uint64_t hi = (b + 1) * quot + (b + 1) * rem / q->batches;
    *first = lo;
    *count = hi - lo;
}

pn_status pn_sim_result_init(pn_sim_result *r, const pn_sim_query *q, pn_error *err)
{
    memset(r, 0, sizeof *r);
    r->hosts = q->hosts;
    r->batches = q->batches;
    r->stride = 2 * ((size_t)q->hosts + 1) + 1;
    r->cells = calloc(r->stride * q->batches, sizeof *r->cells);
    if (!r->cells)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for the simulation's counts");
    return PN_OK;
}

void pn_sim_result_clear(pn_sim_result *r)
{
    free(r->cells);
    r->cells = NULL;
}

uint64_t pn_sim_result_total(const pn_sim_result *r, size_t offset)
{
    uint64_t sum = 0;
    for (unsigned b = 0; b < r->batches; b++)
        sum += r->cells[b * r->stride + offset];
    return sum;
}

bool pn_sim_result_equal(const pn_sim_result *a, const pn_sim_result *b)
{
    return a->hosts == b->hosts && a->batches == b->batches &&
           memcmp(a->cells, b->cells, a->stride * a->batches * sizeof *a->cells) == 0;
}

pn_status pn_sim_interrupted(uint64_t done, uint64_t total, pn_error *err)
{
    /* integer arithmetic, so the share never rounds up past what N of M is */
    unsigned long long percent = total == 0 ? 0
                                 : done <= UINT64_MAX / 100 ? done * 100 / total
                                                            : done / (total / 100);
    return pn_fail(err, PN_ERR_INTERRUPTED, "interrupted after %llu%% of the work (%llu of %llu "
                   "ticks)", percent, (unsigned long long)done, (unsigned long long)total);
}
