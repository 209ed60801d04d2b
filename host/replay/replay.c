/* SPDX-License-Identifier: GPL-3.0-or-later */
/* replay.c -- the replay's event loop: arrivals and departures sorted once, each instant's events applied, the napping hosts integrated over the window. */
#include "replay/pn_replay.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "replay_hosts.h"

/* One event: a VM's arrival or departure at time t. `order` sorts the
 * events of one instant: its top bits are the kind (departures, then
 * arrivals, then the departures of VMs that arrive and leave at that
 * instant), the rest the VM's index in the trace (its file order). */
typedef struct replay_event {
    double t;
    uint64_t order;
} replay_event;

enum { KIND_LEAVE = 0, KIND_ARRIVE = 1, KIND_LEAVE_LATE = 2 };
#define KIND_SHIFT 62
#define INDEX_MASK ((1ULL << KIND_SHIFT) - 1)

static int event_cmp(const void *a, const void *b)
{
    const replay_event *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return (x->order > y->order) - (x->order < y->order);
}

/* Every VM's two events, checked and sorted; the trace's window into *from, *to. */
static pn_status build_events(const pn_trace *trace, replay_event **out, double *from,
                              double *to, pn_error *err)
{
    size_t n = trace->count;
    if (n > SIZE_MAX / (2 * sizeof(replay_event)))
        return pn_fail(err, PN_ERR_NOMEM, "a trace of %zu VMs does not fit in memory", n);
    replay_event *ev = malloc((n ? 2 * n : 1) * sizeof *ev);
    if (!ev)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for the events of %zu VMs", n);
    *from = INFINITY;
    *to = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        const pn_trace_vm *vm = &trace->vms[i];
        if (!isfinite(vm->start) || !isfinite(vm->end) || vm->end < vm->start ||
            !(vm->cores > 0) || !(vm->memory >= 0) || vm->cores > 1e12 || vm->memory > 1e12) {
            free(ev);
            return pn_fail(err, PN_ERR_USAGE, "VM %zu of the trace (line or id %llu) has start "
                           "%g, end %g, %g cores, %g memory: not a VM that can run", i + 1,
                           (unsigned long long)vm->origin, vm->start, vm->end, vm->cores,
                           vm->memory);
        }
        uint64_t leave = vm->end == vm->start ? KIND_LEAVE_LATE : KIND_LEAVE;
        ev[2 * i] = (replay_event){vm->start, (uint64_t)KIND_ARRIVE << KIND_SHIFT | i};
        ev[2 * i + 1] = (replay_event){vm->end, leave << KIND_SHIFT | i};
        *from = fmin(*from, vm->start);
        *to = fmax(*to, vm->end);
    }
    qsort(ev, 2 * n, sizeof *ev, event_cmp);
    *out = ev;
    return PN_OK;
}

/* The replay's running state. */
typedef struct replay_state {
    replay_hosts hosts;
    uint32_t *host_of;     /* each VM's host, REPLAY_NO_HOST until placed or when rejected */
    uint32_t napping;      /* hosts with no VM */
    double napping_watts;  /* their watts */
    uint64_t guests;       /* VMs running */
    uint64_t arrivals;     /* arrivals so far, the random policy's counter */
    pn_replay_result *out;
    size_t bin;            /* the time series' current bin */
    double every;
} replay_state;

/* Bin j's end: the window's end for the last one. */
static double bin_end(const pn_replay_result *r, size_t j, double every)
{
    return j + 1 == r->nbins ? r->to : r->from + (double)(j + 1) * every;
}

/* Adds the state's figures over [lo, hi) (inside the window) to the bins. */
static void add_to_bins(replay_state *s, double lo, double hi)
{
    pn_replay_result *r = s->out;
    while (s->bin + 1 < r->nbins && bin_end(r, s->bin, s->every) <= lo)
        s->bin++;
    while (lo < hi) {
        double end = fmin(hi, bin_end(r, s->bin, s->every));
        pn_replay_bin *b = &r->bins[s->bin];
        double d = end - lo;
        b->guest_seconds += d * (double)s->guests;
        b->napping_seconds += d * (double)s->napping;
        b->napping_watt_seconds += d * s->napping_watts;
        lo = end;
        if (lo < hi && s->bin + 1 < r->nbins)
            s->bin++;
        else
            break;
    }
}

/* The state held over [a, b): its time in the window, its peak. */
static void integrate(replay_state *s, double a, double b)
{
    pn_replay_result *r = s->out;
    if (!(a <= r->to && b > r->from))
        return;
    uint64_t awake = r->hosts - s->napping;
    if (awake > r->peak_awake)
        r->peak_awake = awake;
    double lo = fmax(a, r->from), hi = fmin(b, r->to);
    if (hi <= lo)
        return;
    r->napping_seconds[s->napping] += hi - lo;
    r->expected_napping_watts += (hi - lo) * s->napping_watts;
    if (r->nbins)
        add_to_bins(s, lo, hi);
}

/* Applies one event at time t. */
static void apply(replay_state *s, const pn_trace *trace, const replay_event *e)
{
    size_t i = (size_t)(e->order & INDEX_MASK);
    const pn_trace_vm *vm = &trace->vms[i];
    replay_hosts *h = &s->hosts;
    int64_t cores = pn_replay_units(vm->cores), memory = pn_replay_units(vm->memory);
    bool inside = e->t >= s->out->from && e->t <= s->out->to;
    if (e->order >> KIND_SHIFT != KIND_ARRIVE) {
        uint32_t k = s->host_of[i];
        if (k == REPLAY_NO_HOST)
            return;
        h->used_cores[k] -= cores;
        h->used_memory[k] -= memory;
        s->guests--;
        if (--h->guests[k] == 0) {
            h->empty_since[k] = e->t;
            s->napping++;
            s->napping_watts += h->watts[k];
        }
        return;
    }
    uint32_t k = pn_replay_pick(h, cores, memory, s->arrivals++);
    s->host_of[i] = k;
    if (k == REPLAY_NO_HOST) {
        s->out->rejected += inside;
        return;
    }
    if (h->guests[k]++ == 0) {
        s->out->wakeups += inside && h->empty_since[k] < e->t;
        s->napping--;
        s->napping_watts -= h->watts[k];
    }
    h->used_cores[k] += cores;
    h->used_memory[k] += memory;
    s->guests++;
}

/* Allocates the result's arrays and sets its window and bins. */
static pn_status prepare_result(pn_replay_result *r, const pn_replay_options *o, pn_error *err)
{
    if (!(r->to > r->from))
        return pn_fail(err, PN_ERR_USAGE, "the replay's window [%g, %g] spans no time (give "
                       "--window FROM:TO)", r->from, r->to);
    if (o->every > 0) {
        double n = ceil((r->to - r->from) / o->every);
        if (!(n <= (double)PN_REPLAY_MAX_BINS))
            return pn_fail(err, PN_ERR_USAGE, "--every %g cuts the window of %g seconds into "
                           "more than %llu rows", o->every, r->to - r->from,
                           (unsigned long long)PN_REPLAY_MAX_BINS);
        r->nbins = n < 1 ? 1 : (size_t)n;
        /* Rounding can leave a last bin of no length: drop it. */
        while (r->nbins > 1 && r->from + (double)(r->nbins - 1) * o->every >= r->to)
            r->nbins--;
        r->bins = calloc(r->nbins, sizeof *r->bins);
    }
    r->napping_seconds = calloc(r->hosts + 1, sizeof *r->napping_seconds);
    r->fraction = calloc(r->hosts + 1, sizeof *r->fraction);
    if (!r->napping_seconds || !r->fraction || (o->every > 0 && !r->bins))
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for the replay's figures");
    for (size_t j = 0; j < r->nbins; j++) {
        r->bins[j].from = r->from + (double)j * o->every;
        r->bins[j].to = bin_end(r, j, o->every);
    }
    return PN_OK;
}

/* The figures the integrals give. */
static void finish_result(pn_replay_result *r, const replay_hosts *h)
{
    double span = r->to - r->from;
    r->expected_napping_hosts = 0;
    for (uint64_t k = 0; k <= r->hosts; k++) {
        r->fraction[k] = r->napping_seconds[k] / span;
        r->expected_napping_hosts += (double)k * r->fraction[k];
    }
    r->weighted = true;
    r->fleet_watts = 0;
    for (uint32_t i = 0; i < h->count; i++) {
        r->weighted = r->weighted && h->watts[i] > 0;
        r->fleet_watts += h->watts[i];
    }
    r->expected_napping_watts /= span;
    r->expected_savings_percent = r->weighted
                                      ? 100.0 * r->expected_napping_watts / r->fleet_watts
                                      : 100.0 * r->expected_napping_hosts / (double)r->hosts;
    if (!r->weighted)
        r->expected_napping_watts = r->fleet_watts = 0;
}

/* The event loop over sorted events ev[0, n). */
static void run_events(replay_state *s, const pn_trace *trace, const replay_event *ev, size_t n)
{
    double t_prev = -INFINITY;
    for (size_t e = 0; e < n;) {
        double t = ev[e].t;
        integrate(s, t_prev, t);
        for (; e < n && ev[e].t == t; e++)
            apply(s, trace, &ev[e]);
        t_prev = t;
    }
    integrate(s, t_prev, INFINITY);
}

pn_status pn_replay_run(const pn_trace *trace, const pn_query *q, const pn_replay_options *o,
                        pn_replay_result *out, pn_error *err)
{
    *out = (pn_replay_result){.policy = o->policy, .vms = trace->count};
    replay_event *ev = NULL;
    replay_state s = {.out = out, .every = o->every};
    pn_status st = build_events(trace, &ev, &out->from, &out->to, err);
    if (st != PN_OK)
        return st;
    if (o->has_window) {
        out->from = o->from;
        out->to = o->to;
    }
    st = pn_replay_hosts_init(&s.hosts, q, o->policy, o->seed, err);
    if (st == PN_OK && s.hosts.count == 0)
        st = pn_fail(err, PN_ERR_USAGE, "a replay needs at least 1 host");
    out->hosts = s.hosts.count;
    if (st == PN_OK)
        st = prepare_result(out, o, err);
    if (st == PN_OK && !(s.host_of = malloc((trace->count ? trace->count : 1) *
                                             sizeof *s.host_of)))
        st = pn_fail(err, PN_ERR_NOMEM, "out of memory for %zu VMs' hosts", trace->count);
    if (st == PN_OK) {
        for (uint32_t i = 0; i < s.hosts.count; i++)
            s.napping_watts += s.hosts.watts[i];
        s.napping = s.hosts.count;
        run_events(&s, trace, ev, 2 * trace->count);
        finish_result(out, &s.hosts);
    }
    free(ev);
    free(s.host_of);
    pn_replay_hosts_free(&s.hosts);
    if (st != PN_OK)
        pn_replay_result_clear(out);
    return st;
}

void pn_replay_result_clear(pn_replay_result *r)
{
    free(r->napping_seconds);
    free(r->fraction);
    free(r->bins);
    *r = (pn_replay_result){0};
}
