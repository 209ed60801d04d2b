/* SPDX-License-Identifier: GPL-3.0-or-later */
/* simulate.cl -- the scheduler simulation: one cloud per work-item, VMs arriving and leaving under a placement policy, napping hosts counted per tick. */

/*
 * Each work-item runs one trajectory: a cloud of `hosts` hosts with
 * `per_host` slots each starts empty and evolves for burn_in + ticks ticks.
 * Time is uniformized: a Poisson clock of rate load + slots (in units of the
 * mean VM lifetime) ticks, and each tick is an arrival with probability
 * load / rate, else a departure from a uniformly drawn slot if that slot is
 * taken (probability running / rate), else nothing. So every tick is one
 * equally weighted observation of the cloud, and a tick-average is a
 * time-average.
 *
 * Randomness is Philox4x32-10 from Random123, keyed by the seed, with the
 * counter (t / 2, trajectory): one block gives four 32-bit words, two for the
 * even tick and two for the odd one. Word a decides arrival (a < arrive);
 * word b picks the slot of a departure, or the free slot of a `random`
 * placement, as floor(b * n / 2^32). Nothing depends on the work-item,
 * work-group or device that runs a trajectory, so every split gives the same
 * integer counts as the cpu engine (host/simulate/simulate_cpu.c, written apart).
 *
 * Only the number of guests per host is kept: slots of a host are
 * interchangeable, so "slot s is taken" is "s mod per_host < guests on host
 * s / per_host". The count of empty (napping) hosts is kept up to date, and
 * the observations are counted as runs: a work-item adds to the local
 * histogram only when what it observes (napping hosts, whether exactly
 * `observe` guests run) changes, not every tick. A work-group runs
 * consecutive trajectories of one batch (the confidence intervals compare
 * batches); after a barrier it adds its local histogram to the batch's
 * global one with one 64-bit atomic per non-zero bin.
 *
 * Build options: -D HOSTS_CAP=n (room per work-item, n >= hosts). The
 * Random123 include below is replaced at build time by the header itself,
 * preprocessed for OpenCL C (scripts/inline-random123.sh), so the embedded
 * source needs no Random123 where the binary runs. The policy numbers
 * (PN_CL_POLICY_*) come from include/opencl/pn_kernel_shared.h, which the
 * build puts in front of this file.
 */

#include <Random123/philox.h>

#pragma OPENCL EXTENSION cl_khr_int64_base_atomics : enable

#ifndef HOSTS_CAP
#error "build with -D HOSTS_CAP=n"
#endif

#ifndef PN_CL_POLICY_RANDOM
#error "include/opencl/pn_kernel_shared.h goes in front of this file"
#endif

/* The fixed parameters of every trajectory of a launch. */
typedef struct params {
    uint hosts, per_host, slots, arrive, observe, policy;
} params;

/* One cloud: guests per host, the guests running, the empty hosts, and the
 * host round-robin placed on last. */
typedef struct cloud {
    ushort guests[HOSTS_CAP];
    uint running, empty, last;
} cloud;

/* random: walk the hosts until the pick-th free slot (0-based) is passed. */
static uint place_random(const cloud *c, const params *p, uint b)
{
    uint pick = mul_hi(b, p->slots - c->running);
    uint h = 0;
    uint room = p->per_host - c->guests[0];
    while (pick >= room) {
        pick -= room;
        h++;
        room = p->per_host - c->guests[h];
    }
    return h;
}

/* best-fit: the fullest host with room; the first one with per_host - 1 guests ends the search. */
static uint place_best_fit(const cloud *c, const params *p)
{
    uint best = 0;
    int fill = -1;
    for (uint h = 0; h < p->hosts; h++) {
        int g = c->guests[h];
        if (g < (int)p->per_host && g > fill) {
            fill = g;
            best = h;
            if (g == (int)p->per_host - 1)
                break;
        }
    }
    return best;
}

/* worst-fit: the emptiest host; the first empty one ends the search. */
static uint place_worst_fit(const cloud *c, const params *p)
{
    uint best = 0, low = p->per_host;
    for (uint h = 0; h < p->hosts && low > 0; h++)
        if (c->guests[h] < low) {
            low = c->guests[h];
            best = h;
        }
    return best;
}

static uint place(cloud *c, const params *p, uint b)
{
    uint h = 0;
    switch (p->policy) {
    case PN_CL_POLICY_RANDOM: return place_random(c, p, b);
    case PN_CL_POLICY_FIRST_FIT:
        while (c->guests[h] == p->per_host)
            h++;
        return h;
    case PN_CL_POLICY_BEST_FIT: return place_best_fit(c, p);
    case PN_CL_POLICY_WORST_FIT: return place_worst_fit(c, p);
    default: /* PN_CL_POLICY_ROUND_ROBIN */
        h = c->last;
        do
            h = h + 1 == p->hosts ? 0 : h + 1;
        while (c->guests[h] == p->per_host);
        c->last = h;
        return h;
    }
}

/* One tick with words a and b; returns 1 when an arrival woke a napping host. */
static uint tick(cloud *c, const params *p, uint a, uint b)
{
    if (a < p->arrive) {
        if (c->running == p->slots)
            return 0;
        uint h = place(c, p, b);
        uint woke = c->guests[h] == 0;
        c->guests[h]++;
        c->running++;
        c->empty -= woke;
        return woke;
    }
    /* slot floor(b * slots / 2^32) is on host floor(b * hosts / 2^32), at
     * place floor((b * hosts mod 2^32) * per_host / 2^32): no division */
    uint h = mul_hi(b, p->hosts);
    uint g = c->guests[h];
    uint leave = mul_hi(b * p->hosts, p->per_host) < g; /* no branch: ~1/3 leave */
    c->guests[h] = g - leave;
    c->running -= leave;
    c->empty += leave & (g == 1);
    return 0;
}

/* Adds a run of `len` ticks with `empty` napping hosts to the local
 * histogram: to "all", and to "at observe" when `at`. */
static void flush(__local ulong *hist, uint hosts, uint empty, uint at, ulong len)
{
    if (len == 0)
        return;
    atom_add(&hist[hosts + 1 + empty], len);
    if (at)
        atom_add(&hist[empty], len);
}

/* Trajectory traj from an empty cloud, its observations into hist. */
static void trajectory(const params *p, ulong seed, ulong burn_in, ulong ticks, ulong traj,
                       __local ulong *hist)
{
    cloud c;
    for (uint h = 0; h < p->hosts; h++)
        c.guests[h] = 0;
    c.running = 0;
    c.empty = p->hosts;
    c.last = p->hosts - 1;
    philox4x32_key_t key = {{(uint)seed, (uint)(seed >> 32)}};
    ulong end = burn_in + ticks, woken = 0, len = 0;
    uint run_empty = c.empty, run_at = 0; /* the run being counted (len 0 until observed) */
    for (ulong t = 0; t < end; t += 2) { /* one Philox block per two ticks */
        ulong pair = t >> 1;
        philox4x32_ctr_t ctr = {{(uint)pair, (uint)(pair >> 32), (uint)traj,
                                 (uint)(traj >> 32)}};
        philox4x32_ctr_t r = philox4x32(ctr, key);
#pragma unroll
        for (uint k = 0; k < 2; k++) {
            if (t + k == end)
                break;
            uint woke = tick(&c, p, r.v[2 * k], r.v[2 * k + 1]);
            if (t + k < burn_in)
                continue;
            woken += woke;
            uint at = c.running == p->observe;
            if (c.empty != run_empty || at != run_at) {
                flush(hist, p->hosts, run_empty, run_at, len);
                len = 0;
                run_empty = c.empty;
                run_at = at;
            }
            len++;
        }
    }
    flush(hist, p->hosts, run_empty, run_at, len);
    if (woken)
        atom_add(&hist[2 * (p->hosts + 1)], woken);
}

/* Batch get_group_id(1)'s trajectories offset .. offset + units - 1 (those
 * that exist: batch b holds starts[b] .. starts[b + 1] - 1), one per
 * work-item along dimension 0; dimension 1 is the batch, so a work-group
 * belongs to one batch and adds its counts to that batch's cells of out
 * (at-observe bins, all-time bins, wake-ups). hist holds 2 * (hosts + 1) + 1
 * counters. */
__kernel void simulate(ulong offset, uint units, __global const ulong *starts, ulong seed,
                       ulong burn_in, ulong ticks, uint hosts, uint per_host, uint arrive,
                       uint observe, uint policy, __global ulong *out, __local ulong *hist)
{
    const params p = {hosts, per_host, hosts * per_host, arrive, observe, policy};
    uint lid = get_local_id(0), lsize = get_local_size(0);
    uint batch = get_group_id(1);
    uint cells = 2 * (hosts + 1) + 1;
    ulong traj = starts[batch] + offset + get_global_id(0);
    for (uint i = lid; i < cells; i += lsize)
        hist[i] = 0;
    barrier(CLK_LOCAL_MEM_FENCE);
    if (get_global_id(0) < units && traj < starts[batch + 1])
        trajectory(&p, seed, burn_in, ticks, traj, hist);
    barrier(CLK_LOCAL_MEM_FENCE);
    __global ulong *mine = out + (ulong)batch * cells;
    for (uint i = lid; i < cells; i += lsize)
        if (hist[i])
            atom_add(&mine[i], hist[i]);
}
