/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_replay.c -- the replay engine against a naive second replay written here (its own event order, placement and integrals), and small traces worked by hand. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <Random123/philox.h>

#include "question/pn_fleet.h"
#include "replay/pn_replay.h"

/* ---- The naive replay: O(n) per instant, O(H) per arrival, nothing shared. ---- */

#define NAIVE_MAX_HOSTS 64
#define NAIVE_MAX_VMS 1024

typedef struct naive_out {
    uint64_t rejected, wakeups, peak;
    double seconds[NAIVE_MAX_HOSTS + 1];
    double watt_seconds;
} naive_out;

typedef struct naive_host {
    long long cap_c, cap_m, used_c, used_m;
    int guests;
    int ever_used;
    double emptied; /* when it last became empty */
    double watts;
} naive_host;

/* The spec's fixed point: millionths, rounded to the nearest. */
static long long millionths(double x)
{
    return llround(x * 1e6);
}

static int naive_fits(const naive_host *h, long long c, long long m)
{
    if (h->used_c + c > h->cap_c)
        return 0;
    return h->cap_m == 0 || h->used_m + m <= h->cap_m;
}

static double naive_room(const naive_host *h, long long c, long long m)
{
    double r = (double)(h->cap_c - h->used_c - c) / (double)h->cap_c;
    if (h->cap_m)
        r += (double)(h->cap_m - h->used_m - m) / (double)h->cap_m;
    return r;
}

/* The host policy p picks, or -1. */
static int naive_pick(naive_host *hs, int nh, pn_policy p, long long c, long long m, int *last,
                      uint64_t seed, uint64_t n)
{
    int pick = -1, fitting = 0;
    for (int i = 0; i < nh; i++) {
        if (!naive_fits(&hs[i], c, m))
            continue;
        fitting++;
        if (pick < 0) {
            pick = i;
            continue;
        }
        if (p == PN_POLICY_BEST_FIT && naive_room(&hs[i], c, m) < naive_room(&hs[pick], c, m))
            pick = i;
        if (p == PN_POLICY_WORST_FIT && naive_room(&hs[i], c, m) > naive_room(&hs[pick], c, m))
            pick = i;
    }
    if (pick < 0)
        return -1;
    if (p == PN_POLICY_ROUND_ROBIN) {
        for (int s = 1; s <= nh; s++)
            if (naive_fits(&hs[(*last + s) % nh], c, m))
                return *last = (*last + s) % nh;
    }
    if (p == PN_POLICY_RANDOM) {
        philox4x32_key_t key = {{(uint32_t)seed, (uint32_t)(seed >> 32)}};
        philox4x32_ctr_t ctr = {{(uint32_t)n, (uint32_t)(n >> 32), 0, 0}};
        philox4x32_ctr_t r = philox4x32(ctr, key);
        long double u = ((long double)r.v[0] + 4294967296.0L * r.v[1]) / 18446744073709551616.0L;
        int j = (int)floorl(u * fitting);
        for (int i = 0; i < nh; i++)
            if (naive_fits(&hs[i], c, m) && j-- == 0)
                return i;
    }
    return pick;
}

/* The segment [a, b) with `napping` hosts napping, clipped to [from, to]. */
static void naive_hold(naive_out *o, const naive_host *hs, int nh, double a, double b,
                       double from, double to)
{
    int napping = 0;
    double watts = 0;
    for (int i = 0; i < nh; i++)
        if (hs[i].guests == 0) {
            napping++;
            watts += hs[i].watts;
        }
    if (a <= to && b > from && (uint64_t)(nh - napping) > o->peak)
        o->peak = (uint64_t)(nh - napping);
    double lo = a > from ? a : from, hi = b < to ? b : to;
    if (hi > lo) {
        o->seconds[napping] += hi - lo;
        o->watt_seconds += (hi - lo) * watts;
    }
}

/* Replays vms on hosts hs (modified) naively into o. */
static void naive_replay(const pn_trace *t, naive_host *hs, int nh, pn_policy p, uint64_t seed,
                         double from, double to, naive_out *o)
{
    static int host_of[NAIVE_MAX_VMS];
    static double times[2 * NAIVE_MAX_VMS];
    int nt = 0, last = nh - 1;
    uint64_t arrivals = 0;
    memset(o, 0, sizeof *o);
    /* Every distinct time, by insertion. */
    for (size_t i = 0; i < t->count; i++)
        for (int e = 0; e < 2; e++) {
            double x = e ? t->vms[i].end : t->vms[i].start;
            int k = 0;
            while (k < nt && times[k] < x)
                k++;
            if (k < nt && times[k] == x)
                continue;
            memmove(&times[k + 1], &times[k], (size_t)(nt - k) * sizeof *times);
            times[k] = x;
            nt++;
        }
    naive_hold(o, hs, nh, -INFINITY, times[0], from, to);
    for (int k = 0; k < nt; k++) {
        double now = times[k];
        for (int pass = 0; pass < 3; pass++)
            for (size_t i = 0; i < t->count; i++) {
                const pn_trace_vm *vm = &t->vms[i];
                long long c = millionths(vm->cores), m = millionths(vm->memory);
                int leaving = (pass == 0 && vm->end == now && vm->start < now) ||
                              (pass == 2 && vm->end == now && vm->start == now);
                if (leaving && host_of[i] >= 0) {
                    naive_host *h = &hs[host_of[i]];
                    h->used_c -= c;
                    h->used_m -= m;
                    if (--h->guests == 0)
                        h->emptied = now;
                }
                if (pass != 1 || vm->start != now)
                    continue;
                int inside = now >= from && now <= to;
                host_of[i] = naive_pick(hs, nh, p, c, m, &last, seed, arrivals++);
                if (host_of[i] < 0) {
                    o->rejected += inside;
                    continue;
                }
                naive_host *h = &hs[host_of[i]];
                if (h->guests == 0 && (!h->ever_used || h->emptied < now))
                    o->wakeups += inside;
                h->ever_used = 1;
                h->guests++;
                h->used_c += c;
                h->used_m += m;
            }
        naive_hold(o, hs, nh, now, k + 1 < nt ? times[k + 1] : INFINITY, from, to);
    }
}

/* The naive hosts of a fleet spec. */
static int naive_hosts(const char *spec, naive_host *hs)
{
    pn_query q = {0};
    pn_error err;
    cr_assert_eq(pn_fleet_parse(spec, &q, &err), PN_OK, "%s", err.msg);
    int n = 0;
    for (unsigned j = 0; j < q.ngroups; j++)
        for (uint64_t k = 0; k < q.groups[j].count; k++)
            hs[n++] = (naive_host){.cap_c = (long long)q.groups[j].capacity * 1000000,
                                   .cap_m = (long long)q.groups[j].memory * 1000000,
                                   .watts = q.groups[j].watts};
    return n;
}

/* ---- Random traces ---- */

/* A small deterministic generator (xorshift64*), for the traces only. */
static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

/* n VMs with times on a coarse grid (so instants are shared) or decimals,
 * a few flavors of cores and memory. */
static void random_trace(pn_trace *t, size_t n, uint64_t seed, bool coarse)
{
    static const double CORES[] = {0.5, 1, 1, 2, 2, 4, 8, 1.5, 0.25};
    static const double MEMORY[] = {0.5, 1, 2, 4, 8, 16, 3.75};
    uint64_t s = seed * 0x9E3779B97F4A7C15ULL + 1;
    pn_trace_init(t);
    for (size_t i = 0; i < n; i++) {
        double start = coarse ? (double)(rng_next(&s) % 200) : (double)(rng_next(&s) % 100000) / 97.0;
        double life = coarse ? (double)(1 + rng_next(&s) % 60) : 0.01 + (double)(rng_next(&s) % 100000) / 1500.0;
        pn_trace_vm vm = {.start = start, .end = start + life,
                          .cores = CORES[rng_next(&s) % 9], .memory = MEMORY[rng_next(&s) % 7],
                          .origin = i + 2};
        if (rng_next(&s) % 50 == 0)
            vm.end = vm.start; /* the rare VM that arrives at the last instant */
        cr_assert_eq(pn_trace_append(t, &vm, NULL), PN_OK);
    }
    t->has_memory = true;
}

/* The engine and the naive replay on one trace, fleet and policy. */
static void compare(const pn_trace *t, const char *spec, pn_policy p, bool window, double from,
                    double to)
{
    pn_query q = {0};
    pn_error err;
    cr_assert_eq(pn_fleet_parse(spec, &q, &err), PN_OK);
    pn_replay_options o = {.policy = p, .seed = 77, .has_window = window, .from = from,
                           .to = to, .every = 7.25};
    pn_replay_result r;
    cr_assert_eq(pn_replay_run(t, &q, &o, &r, &err), PN_OK, "%s", err.msg);
    if (!window) {
        from = INFINITY;
        to = -INFINITY;
        for (size_t i = 0; i < t->count; i++) {
            from = fmin(from, t->vms[i].start);
            to = fmax(to, t->vms[i].end);
        }
    }
    static naive_host hs[NAIVE_MAX_HOSTS];
    int nh = naive_hosts(spec, hs);
    naive_out n;
    naive_replay(t, hs, nh, p, 77, from, to, &n);
    const char *name = pn_policy_name(p);
    cr_assert_eq(r.hosts, (uint64_t)nh);
    cr_assert_eq(r.from, from);
    cr_assert_eq(r.to, to);
    cr_assert_eq(r.rejected, n.rejected, "%s %s: rejected %llu vs %llu", spec, name,
                 (unsigned long long)r.rejected, (unsigned long long)n.rejected);
    cr_assert_eq(r.wakeups, n.wakeups, "%s %s: wakeups %llu vs %llu", spec, name,
                 (unsigned long long)r.wakeups, (unsigned long long)n.wakeups);
    cr_assert_eq(r.peak_awake, n.peak, "%s %s: peak", spec, name);
    double expected = 0, napping_total = 0;
    for (int k = 0; k <= nh; k++) {
        double f = n.seconds[k] / (to - from);
        cr_assert(fabs(r.fraction[k] - f) <= 1e-12, "%s %s: fraction[%d] %.17g vs %.17g", spec,
                  name, k, r.fraction[k], f);
        expected += k * f;
    }
    cr_assert(fabs(r.expected_napping_hosts - expected) <= 1e-12 * nh);
    double savings = r.weighted ? 100 * n.watt_seconds / (to - from) / r.fleet_watts
                                : 100 * expected / nh;
    cr_assert(fabs(r.expected_savings_percent - savings) <= 1e-10, "%s %s: savings %.17g vs %.17g",
              spec, name, r.expected_savings_percent, savings);
    /* The time series integrates to the totals. */
    for (size_t j = 0; j < r.nbins; j++)
        napping_total += r.bins[j].napping_seconds;
    cr_assert(fabs(napping_total / (to - from) - r.expected_napping_hosts) <= 1e-9 * nh,
              "%s %s: bins %.17g vs %.17g", spec, name, napping_total / (to - from),
              r.expected_napping_hosts);
    cr_assert_eq(r.bins[0].from, from);
    cr_assert_eq(r.bins[r.nbins - 1].to, to);
    pn_replay_result_clear(&r);
}

/* Hundreds of VMs, every policy, fleets with and without memory, weighted or
 * not, coarse times (many shared instants) and decimal ones, with and
 * without a window. */
Test(replay, agrees_with_a_naive_replay)
{
    static const char *FLEETS[] = {"4x8", "3x8/32,2x16/64", "2x4,3x8/16,1x32", "5x4/8@200,2x16/64@350",
                                   "1x2", "6x16@100"};
    for (size_t f = 0; f < sizeof FLEETS / sizeof *FLEETS; f++)
        for (uint64_t seed = 1; seed <= 4; seed++) {
            pn_trace t;
            random_trace(&t, 150 + 100 * seed, seed * 31 + f, seed % 2 == 1);
            for (int p = 0; p < PN_POLICIES; p++) {
                compare(&t, FLEETS[f], (pn_policy)p, false, 0, 0);
                compare(&t, FLEETS[f], (pn_policy)p, true, 35.5, 150);
            }
            pn_trace_free(&t);
        }
}

/* Replays trace (3 VMs) on 2 hosts of 2 cores under p. */
static pn_replay_result replay_small(pn_policy p, const pn_trace_vm *vms, size_t n,
                                     const char *fleet)
{
    pn_trace t;
    pn_trace_init(&t);
    for (size_t i = 0; i < n; i++)
        pn_trace_append(&t, &vms[i], NULL);
    pn_query q = {0};
    pn_error err;
    cr_assert_eq(pn_fleet_parse(fleet, &q, &err), PN_OK);
    pn_replay_options o = {.policy = p};
    pn_replay_result r;
    cr_assert_eq(pn_replay_run(&t, &q, &o, &r, &err), PN_OK, "%s", err.msg);
    pn_trace_free(&t);
    return r;
}

/* Three VMs on 2 hosts of 2 cores, worked by hand. A: [0,10) 1 core; B:
 * [2,6) 1 core; C: [6,8) 2 cores. The window is [0, 10].
 * first-fit: A on host 0 (a wake-up: it napped from the start), B on host 0
 * (1+1 <= 2), B leaves at 6 before C arrives; C (2 cores) fits only host 1
 * (host 0 holds A): a wake-up. Napping hosts: [0,6) 1, [6,8) 0, [8,10) 1:
 * fractions {0.2, 0.8, 0}, 0.8 napping hosts, 40%; 2 wake-ups, peak 2.
 * worst-fit: A on host 0 (room after: 0.5 on both, tie to host 0); B: host
 * 0 leaves 0, host 1 leaves 0.5: host 1 (a wake-up). [0,2) 1 napping, [2,6)
 * 0, at 6 B leaves host 1, which naps from 6 on; C arrives at 6 and fits
 * only host 1, emptied at that same instant: no wake-up. [6,8) 0, [8,10) 1:
 * fractions {0.6, 0.4, 0}, 0.4 hosts, 20%; 2 wake-ups (A, B), peak 2.
 * round-robin: A on host 0, B on the host after it, host 1 (a wake-up); C
 * looks after host 1, cyclically: host 0 holds A and has 1 core left, so
 * host 1, emptied at 6 (no wake-up): the same figures as worst-fit. */
Test(replay, three_vms_on_two_hosts_by_hand)
{
    const pn_trace_vm vms[3] = {{0, 10, 1, 0, 2}, {2, 6, 1, 0, 3}, {6, 8, 2, 0, 4}};
    pn_replay_result r = replay_small(PN_POLICY_FIRST_FIT, vms, 3, "2x2");
    cr_assert_eq(r.from, 0);
    cr_assert_eq(r.to, 10);
    cr_assert_float_eq(r.fraction[0], 0.2, 1e-15);
    cr_assert_float_eq(r.fraction[1], 0.8, 1e-15);
    cr_assert_eq(r.fraction[2], 0);
    cr_assert_float_eq(r.expected_napping_hosts, 0.8, 1e-15);
    cr_assert_float_eq(r.expected_savings_percent, 40, 1e-12);
    cr_assert_eq(r.wakeups, 2);
    cr_assert_eq(r.rejected, 0);
    cr_assert_eq(r.peak_awake, 2);
    pn_replay_result_clear(&r);
    for (int p = 0; p < 2; p++) {
        r = replay_small(p ? PN_POLICY_ROUND_ROBIN : PN_POLICY_WORST_FIT, vms, 3, "2x2");
        cr_assert_float_eq(r.fraction[0], 0.6, 1e-15);
        cr_assert_float_eq(r.fraction[1], 0.4, 1e-15);
        cr_assert_float_eq(r.expected_savings_percent, 20, 1e-12);
        cr_assert_eq(r.wakeups, 2);
        cr_assert_eq(r.peak_awake, 2);
        pn_replay_result_clear(&r);
    }
}

/* Memory decides: host 0 has 4 cores and 2 memory, host 1 4 cores and 8.
 * A [0,4) 1 core 4 memory cannot fit host 0 (memory): both policies put it
 * on host 1 (a wake-up). B [1,3) 3 cores 1 memory; C [2,4) 1 core 1
 * memory; D [2,4) 8 cores fits nowhere: rejected.
 * first-fit: B on host 0 (a wake-up); C on host 0 (3+1 cores, 1+1 memory).
 * Host 0 naps over [0,1) only: fractions {0.75, 0.25}.
 * best-fit: B's room after placing: host 0 (4-3)/4 + (2-1)/2 = 0.75, host 1
 * (4-1-3)/4 + (8-4-1)/8 = 0.375: host 1 (no wake-up). C: host 1 is out of
 * cores, host 0 takes it (a wake-up). Host 0 naps over [0,2): fractions
 * {0.5, 0.5}. Both: 2 wake-ups, 1 rejected. */
Test(replay, memory_by_hand)
{
    const pn_trace_vm vms[4] = {{0, 4, 1, 4, 2}, {1, 3, 3, 1, 3}, {2, 4, 1, 1, 4},
                                {2, 4, 8, 0, 5}};
    pn_replay_result r = replay_small(PN_POLICY_FIRST_FIT, vms, 4, "1x4/2,1x4/8");
    cr_assert_float_eq(r.fraction[0], 0.75, 1e-15);
    cr_assert_float_eq(r.fraction[1], 0.25, 1e-15);
    cr_assert_eq(r.wakeups, 2);
    cr_assert_eq(r.rejected, 1);
    pn_replay_result_clear(&r);
    r = replay_small(PN_POLICY_BEST_FIT, vms, 4, "1x4/2,1x4/8");
    cr_assert_float_eq(r.fraction[0], 0.5, 1e-15);
    cr_assert_float_eq(r.fraction[1], 0.5, 1e-15);
    cr_assert_eq(r.wakeups, 2);
    cr_assert_eq(r.rejected, 1);
    pn_replay_result_clear(&r);
}
