/* SPDX-License-Identifier: GPL-3.0-or-later */
/* replay_place.c -- the replay's hosts in fixed point and the five placement policies: first-fit, best-fit, worst-fit, round-robin, random. */
#include "replay_hosts.h"

#include <math.h>
#include <stdlib.h>

#include <Random123/philox.h>

int64_t pn_replay_units(double size)
{
    return llround(size * PN_REPLAY_SCALE);
}

pn_status pn_replay_hosts_init(replay_hosts *h, const pn_query *q, pn_policy policy,
                               uint64_t seed, pn_error *err)
{
    pn_group one = {.count = q->hosts, .capacity = q->per_host};
    const pn_group *groups = q->ngroups ? q->groups : &one;
    unsigned ngroups = q->ngroups ? q->ngroups : 1;
    uint64_t count = 0;
    for (unsigned j = 0; j < ngroups; j++)
        count += groups[j].count;
    *h = (replay_hosts){.count = (uint32_t)count, .policy = policy, .seed = seed,
                        .last = (uint32_t)count - 1};
    h->cap_cores = malloc(count * sizeof *h->cap_cores);
    h->cap_memory = malloc(count * sizeof *h->cap_memory);
    h->used_cores = calloc(count, sizeof *h->used_cores);
    h->used_memory = calloc(count, sizeof *h->used_memory);
    h->guests = calloc(count, sizeof *h->guests);
    h->empty_since = malloc(count * sizeof *h->empty_since);
    h->watts = malloc(count * sizeof *h->watts);
    if (!h->cap_cores || !h->cap_memory || !h->used_cores || !h->used_memory || !h->guests ||
        !h->empty_since || !h->watts) {
        pn_replay_hosts_free(h);
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for %llu hosts",
                       (unsigned long long)count);
    }
    uint32_t i = 0;
    for (unsigned j = 0; j < ngroups; j++)
        for (uint64_t k = 0; k < groups[j].count; k++, i++) {
            h->cap_cores[i] = (int64_t)groups[j].capacity * (int64_t)PN_REPLAY_SCALE;
            h->cap_memory[i] = (int64_t)groups[j].memory * (int64_t)PN_REPLAY_SCALE;
            h->empty_since[i] = -INFINITY;
            h->watts[i] = groups[j].watts;
        }
    return PN_OK;
}

void pn_replay_hosts_free(replay_hosts *h)
{
    free(h->cap_cores);
    free(h->cap_memory);
    free(h->used_cores);
    free(h->used_memory);
    free(h->guests);
    free(h->empty_since);
    free(h->watts);
    *h = (replay_hosts){0};
}

/* Whether host i has room for cores and memory. */
static inline int fits(const replay_hosts *h, uint32_t i, int64_t cores, int64_t memory)
{
    return h->used_cores[i] + cores <= h->cap_cores[i] &&
           (h->cap_memory[i] == 0 || h->used_memory[i] + memory <= h->cap_memory[i]);
}

/* Host i's normalised room once the VM is on it: over its modelled
 * resources, the sum of (free - size) / capacity. */
static inline double room_after(const replay_hosts *h, uint32_t i, int64_t cores,
                                int64_t memory)
{
    double room = (double)(h->cap_cores[i] - h->used_cores[i] - cores) / (double)h->cap_cores[i];
    if (h->cap_memory[i])
        room += (double)(h->cap_memory[i] - h->used_memory[i] - memory) /
                (double)h->cap_memory[i];
    return room;
}

static uint32_t first_fit(const replay_hosts *h, int64_t cores, int64_t memory)
{
    for (uint32_t i = 0; i < h->count; i++)
        if (fits(h, i, cores, memory))
            return i;
    return REPLAY_NO_HOST;
}

/* best-fit (sign +1: least room) or worst-fit (sign -1: most room), ties
 * to the lowest index. */
static uint32_t by_room(const replay_hosts *h, int64_t cores, int64_t memory, double sign)
{
    uint32_t pick = REPLAY_NO_HOST;
    double best = INFINITY;
    for (uint32_t i = 0; i < h->count; i++) {
        if (!fits(h, i, cores, memory))
            continue;
        double r = sign * room_after(h, i, cores, memory);
        if (r < best) {
            best = r;
            pick = i;
        }
    }
    return pick;
}

static uint32_t round_robin(replay_hosts *h, int64_t cores, int64_t memory)
{
    uint32_t i = h->last;
    for (uint32_t s = 0; s < h->count; s++) {
        i = i + 1 == h->count ? 0 : i + 1;
        if (fits(h, i, cores, memory))
            return h->last = i;
    }
    return REPLAY_NO_HOST;
}

/* The j-th fitting host, j drawn from philox4x32-10 (see pn_replay.h). */
static uint32_t random_fit(const replay_hosts *h, int64_t cores, int64_t memory, uint64_t n)
{
    uint64_t m = 0;
    for (uint32_t i = 0; i < h->count; i++)
        m += (uint64_t)fits(h, i, cores, memory);
    if (m == 0)
        return REPLAY_NO_HOST;
    philox4x32_key_t key = {{(uint32_t)h->seed, (uint32_t)(h->seed >> 32)}};
    philox4x32_ctr_t ctr = {{(uint32_t)n, (uint32_t)(n >> 32), 0, 0}};
    philox4x32_ctr_t r = philox4x32(ctr, key);
    uint64_t x = (uint64_t)r.v[0] | (uint64_t)r.v[1] << 32;
    uint64_t j = (uint64_t)(((unsigned __int128)x * m) >> 64);
    for (uint32_t i = 0;; i++)
        if (fits(h, i, cores, memory) && j-- == 0)
            return i;
}

uint32_t pn_replay_pick(replay_hosts *h, int64_t cores, int64_t memory, uint64_t n)
{
    switch (h->policy) {
    case PN_POLICY_FIRST_FIT: return first_fit(h, cores, memory);
    case PN_POLICY_BEST_FIT: return by_room(h, cores, memory, 1.0);
    case PN_POLICY_WORST_FIT: return by_room(h, cores, memory, -1.0);
    case PN_POLICY_ROUND_ROBIN: return round_robin(h, cores, memory);
    case PN_POLICY_RANDOM: return random_fit(h, cores, memory, n);
    }
    return REPLAY_NO_HOST;
}
