/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_replay.h -- replaying a VM trace on a fleet under a placement policy: the time-weighted share of time with k napping hosts, wake-ups, rejections. */
#ifndef PN_REPLAY_H
#define PN_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "question/pn_query.h"
#include "replay/pn_trace.h"
#include "simulate/pn_simulate.h"
#include "base/pn_status.h"

/* A replay counts sizes in millionths of a core (and of a memory unit),
 * each VM's size rounded to the nearest: capacities are integers, so the
 * sums are exact whatever order VMs come and go in. */
#define PN_REPLAY_SCALE 1000000.0

/* Most bins a time series (--every) may have. */
#define PN_REPLAY_MAX_BINS 10000000ULL

/* What to replay: the policy, the seed of the random policy, the window
 * and the time series' step. */
typedef struct pn_replay_options {
    pn_policy policy;
    uint64_t seed;        /* random: the Philox key */
    bool has_window;      /* false: from the earliest start to the latest end */
    double from, to;      /* the window when has_window, from < to */
    double every;         /* > 0: a time series of bins this many seconds long */
} pn_replay_options;

/* One bin of the time series, [from, to): integrals over it, in seconds. */
typedef struct pn_replay_bin {
    double from, to;
    double guest_seconds;   /* VMs running, integrated over time */
    double napping_seconds; /* napping hosts, integrated over time */
    double napping_watt_seconds; /* a weighted fleet: napping hosts' watts, integrated */
} pn_replay_bin;

typedef struct pn_replay_result {
    pn_policy policy;
    uint64_t hosts;      /* H */
    uint64_t vms;        /* every VM of the trace */
    uint64_t rejected;   /* arrivals in the window that no host could take */
    uint64_t wakeups;    /* arrivals in the window placed on a napping host */
    uint64_t peak_awake; /* most hosts awake at once in the window */
    double from, to;     /* the window */
    double *napping_seconds; /* H+1 entries: time in the window with k hosts napping */
    double *fraction;        /* H+1 entries: napping_seconds / (to - from) */
    double expected_napping_hosts;   /* sum k * fraction[k] */
    bool weighted;                   /* every host has watts */
    double fleet_watts;              /* sum of the hosts' watts (weighted) */
    double expected_napping_watts;   /* time-averaged watts of napping hosts (weighted) */
    double expected_savings_percent; /* napping share of hosts, or of watts when weighted */
    size_t nbins;                    /* the time series (every > 0), else 0 */
    pn_replay_bin *bins;
} pn_replay_result;

/* Replays trace on the fleet q->groups[0, q->ngroups) (or, with ngroups 0,
 * q->hosts hosts of q->per_host cores; hosts in group order, host 0 first)
 * under o->policy, into *out (which pn_replay_result_clear frees).
 * The semantics (README, "Replay your own history"):
 * - events in time order; at one instant every departure comes before any
 *   arrival, arrivals in trace order; a VM with end == start arrives (and
 *   is placed or rejected) and leaves after the arrivals of its instant;
 * - a VM fits a host when its cores fit the host's free cores and, when the
 *   host gives memory, its memory fits the free memory; a VM no host fits
 *   is rejected and never placed later;
 * - first-fit: the lowest-index host that fits; best-fit / worst-fit: the
 *   fitting host with the least / most normalised room after placing, the
 *   sum over its modelled resources of (free - size) / capacity, ties to the
 *   lowest index; round-robin: the first fitting host after the last host
 *   used, cyclically, starting at host 0; random: the j-th fitting host in
 *   index order, j = floor(x * m / 2^64) for m fitting hosts and x the first
 *   two 32-bit words (x = w0 + 2^32 w1) of philox4x32-10 with key {seed low,
 *   seed high} and counter {n low, n high, 0, 0}, n the arrival's 0-based
 *   number in replay order;
 * - a host with no VM naps (from the start, when never used); a wake-up is
 *   an arrival placed on a host that has napped for some time (one emptied
 *   at the arrival's own instant has not);
 * - the window is [earliest start, latest end] of every VM, placed or
 *   rejected, or o's; figures are time-weighted over it; rejections and
 *   wake-ups count the arrivals inside it; peak_awake is the most hosts
 *   awake after the events of any instant in it (or before its first event).
 * PN_ERR_USAGE for an empty window, a VM whose times are not finite or
 * whose end is before its start, or a time series of more than
 * PN_REPLAY_MAX_BINS bins; PN_ERR_NOMEM. */
pn_status pn_replay_run(const pn_trace *trace, const pn_query *q, const pn_replay_options *o,
                        pn_replay_result *out, pn_error *err);

/* Frees what pn_replay_run allocated in r and zeroes it. */
void pn_replay_result_clear(pn_replay_result *r);

#endif
