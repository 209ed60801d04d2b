/* SPDX-License-Identifier: GPL-3.0-or-later */
/* simulate_cpu.c -- the cpu engine of the scheduler simulation: every trajectory in plain C, one after the other, written apart from the kernel so it checks it. */
#include "simulate/pn_simulate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <Random123/philox.h>

#include "base/pn_duration.h"

/* Seconds between two looks at the cancel flag and the progress callback. */
#define CHECK_SECONDS 0.1

/* One cloud as it evolves: guests on each host, how many run, how many
 * hosts are empty, the host round-robin used last. */
typedef struct cloud {
    const pn_sim_query *q;
    uint32_t *guests;
    uint64_t running;
    uint64_t empty;
    uint64_t last;
} cloud;

/* The two random words of tick t of trajectory traj: philox4x32-10 of the
 * counter (t/2, traj) under the key seed gives four words, the first two for
 * the even tick and the last two for the odd one. */
typedef struct tick_random {
    philox4x32_key_t key;
    philox4x32_ctr_t block;
} tick_random;

static void random_words(tick_random *tr, uint64_t traj, uint64_t t, uint32_t *a, uint32_t *b)
{
    if ((t & 1) == 0) {
        uint64_t pair = t >> 1;
        philox4x32_ctr_t ctr = {{(uint32_t)pair, (uint32_t)(pair >> 32), (uint32_t)traj,
                                 (uint32_t)(traj >> 32)}};
        tr->block = philox4x32(ctr, tr->key);
    }
    *a = tr->block.v[2 * (t & 1)];
    *b = tr->block.v[2 * (t & 1) + 1];
}

/* floor(word * n / 2^32): a number below n from one random word. */
static uint64_t scale(uint32_t word, uint64_t n)
{
    return ((uint64_t)word * n) >> 32;
}

static bool has_room(const cloud *c, uint64_t h)
{
    return c->guests[h] < c->q->per_host;
}

/* random: the free slot number `pick` (0-based, hosts in order) lies on this host. */
static uint64_t place_random(const cloud *c, uint32_t word)
{
    uint64_t pick = scale(word, c->q->slots - c->running);
    uint64_t h = 0;
    for (;; h++) {
        uint64_t free_here = c->q->per_host - c->guests[h];
        if (pick < free_here)
            break;
        pick -= free_here;
    }
    return h;
}

static uint64_t place_first_fit(const cloud *c)
{
    uint64_t h = 0;
    while (!has_room(c, h))
        h++;
    return h;
}

/* best-fit (fullest wins) or worst-fit (emptiest wins), ties to the lowest number. */
static uint64_t place_by_fill(const cloud *c, bool fullest)
{
    uint64_t chosen = c->q->hosts;
    for (uint64_t h = 0; h < c->q->hosts; h++) {
        if (!has_room(c, h))
            continue;
        if (chosen == c->q->hosts ||
            (fullest ? c->guests[h] > c->guests[chosen] : c->guests[h] < c->guests[chosen]))
            chosen = h;
    }
    return chosen;
}

static uint64_t place_round_robin(cloud *c)
{
    uint64_t h = c->last;
    do
        h = h + 1 == c->q->hosts ? 0 : h + 1;
    while (!has_room(c, h));
    c->last = h;
    return h;
}

static uint64_t place(cloud *c, uint32_t word)
{
    switch (c->q->policy) {
    case PN_POLICY_RANDOM: return place_random(c, word);
    case PN_POLICY_FIRST_FIT: return place_first_fit(c);
    case PN_POLICY_BEST_FIT: return place_by_fill(c, true);
    case PN_POLICY_WORST_FIT: return place_by_fill(c, false);
    case PN_POLICY_ROUND_ROBIN: return place_round_robin(c);
    }
    return 0;
}

/* One tick: an arrival (refused when full), or a departure from a uniformly
 * drawn slot when that slot is taken, or nothing. Returns true when an
 * arrival woke a napping host. */
static bool step(cloud *c, uint32_t a, uint32_t b)
{
    const pn_sim_query *q = c->q;
    if (a < q->arrive) {
        if (c->running == q->slots)
            return false;
        uint64_t h = place(c, b);
        bool woke = c->guests[h] == 0;
        c->guests[h]++;
        c->running++;
        c->empty -= woke;
        return woke;
    }
    uint64_t slot = scale(b, q->slots);
    uint64_t h = slot / q->per_host;
    if (slot % q->per_host < c->guests[h]) {
        c->guests[h]--;
        c->running--;
        c->empty += c->guests[h] == 0;
    }
    return false;
}

/* Runs trajectory traj from an empty cloud and adds its observations to
 * cells (one batch's). */
static void trajectory(const pn_sim_query *q, uint32_t *guests, uint64_t traj, uint64_t *cells)
{
    cloud c = {.q = q, .guests = guests, .empty = q->hosts, .last = q->hosts - 1};
    tick_random tr = {.key = {{(uint32_t)q->seed, (uint32_t)(q->seed >> 32)}}};
    memset(guests, 0, q->hosts * sizeof *guests);
    uint64_t end = q->burn_in + q->ticks;
    for (uint64_t t = 0; t < end; t++) {
        uint32_t a, b;
        random_words(&tr, traj, t, &a, &b);
        bool woke = step(&c, a, b);
        if (t < q->burn_in)
            continue;
        cells[PN_SIM_WAKEUPS(q->hosts)] += woke;
        cells[PN_SIM_ALL(q->hosts, c.empty)]++;
        if (c.running == q->observe)
            cells[PN_SIM_AT(q->hosts, c.empty)]++;
    }
}

/* Progress and cancel between trajectories, at most every CHECK_SECONDS. */
typedef struct pacer {
    const pn_progress *progress;
    double started, last;
    uint64_t done, total; /* ticks */
} pacer;

static bool pace(pacer *p)
{
    double now = pn_now_seconds();
    if (now - p->last < CHECK_SECONDS && p->done < p->total)
        return true;
    p->last = now;
    if (p->progress->update) {
        pn_progress_report r = {.unit = "ticks", .done = p->done, .total = p->total};
        r.rate = (double)p->done / (now - p->started + 1e-9);
        p->progress->update(p->progress->ctx, &r);
    }
    return !(p->progress->cancel && *p->progress->cancel);
}

pn_status pn_sim_cpu_run(const pn_sim_query *q, pn_run *run, pn_sim_result *r, pn_error *err)
{
    if (!q->resolved)
        return pn_fail(err, PN_ERR_USAGE, "internal: simulation query not resolved");
    uint32_t *guests = malloc(q->hosts * sizeof *guests);
    if (!guests)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for a simulated cloud");
    uint64_t per = q->burn_in + q->ticks;
    pacer p = {.progress = &run->progress, .started = pn_now_seconds(),
               .total = q->trajectories * per};
    p.last = p.started;
    bool going = true;
    for (unsigned b = 0; going && b < q->batches; b++) {
        uint64_t first, count;
        pn_sim_batch_range(q, b, &first, &count);
        for (uint64_t i = 0; going && i < count; i++) {
            trajectory(q, guests, first + i, r->cells + b * r->stride);
            p.done += per;
            going = pace(&p);
        }
    }
    free(guests);
    if (!going)
        return pn_sim_interrupted(p.done, p.total, err);
    snprintf(run->engine_used, sizeof run->engine_used, "cpu");
    return PN_OK;
}
