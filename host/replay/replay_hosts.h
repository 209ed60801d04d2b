/* SPDX-License-Identifier: GPL-3.0-or-later */
/* replay_hosts.h -- private to replay/: the hosts' capacities and loads in fixed point, and the placement policies that pick one. */
#ifndef PN_REPLAY_HOSTS_H
#define PN_REPLAY_HOSTS_H

#include <stdint.h>

#include "question/pn_query.h"
#include "replay/pn_replay.h"
#include "simulate/pn_simulate.h"
#include "base/pn_status.h"

/* No host: a rejected VM's host. */
#define REPLAY_NO_HOST UINT32_MAX

/* The fleet, one array per field so the policies' scans stay in cache. */
typedef struct replay_hosts {
    uint32_t count;
    int64_t *cap_cores, *cap_memory; /* capacities in millionths; memory 0: not modelled */
    int64_t *used_cores, *used_memory;
    uint32_t *guests;
    double *empty_since; /* when the host last became empty; -inf: never used */
    double *watts;
    pn_policy policy;
    uint64_t seed;
    uint32_t last;       /* round-robin: the host used last (count - 1 at first) */
} replay_hosts;

/* Allocates the hosts of q's fleet, empty. PN_ERR_NOMEM. */
pn_status pn_replay_hosts_init(replay_hosts *h, const pn_query *q, pn_policy policy,
                               uint64_t seed, pn_error *err);

void pn_replay_hosts_free(replay_hosts *h);

/* The host policy picks for a VM of cores and memory (millionths), the
 * arrival's 0-based number `n` seeding the random policy; REPLAY_NO_HOST
 * when none fits. Round-robin remembers its pick. */
uint32_t pn_replay_pick(replay_hosts *h, int64_t cores, int64_t memory, uint64_t n);

/* A size in millionths, rounded to the nearest. */
int64_t pn_replay_units(double size);

#endif
