/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_chunk_schedule.c -- the MPI chunk schedule on simulated workers: every index handed out once, fast and slow workers finishing together. */
#include <criterion/criterion.h>

#include "slice/pn_chunk_schedule.h"
#include "query_fixture.h"

#define WORKERS 3

/* A simulated run: workers of the given speeds (scenarios/s) take chunks
 * from the schedule until none is left, each chunk "taking" count/speed
 * seconds; every finished chunk goes into the ledger, which refuses any
 * overlap. Returns the spread between the first and the last worker to
 * finish; *chunks counts the chunks. */
static double simulate(pn_ledger *l, const double *speed, uint64_t *chunks)
{
    pn_chunk_schedule s;
    pn_error err;
    pn_histogram none;
    cr_assert_eq(pn_histogram_init(&none, l->query.hosts, &err), PN_OK);
    cr_assert_eq(pn_chunk_schedule_init(&s, l, WORKERS, 3.0, &err), PN_OK);
    double busy_until[WORKERS], finished[WORKERS] = {0};
    bool busy[WORKERS];
    pn_range r;
    *chunks = 0;
    for (unsigned w = 0; w < WORKERS; w++) {
        busy[w] = pn_chunk_schedule_next(&s, w, 0, &r);
        busy_until[w] = busy[w] ? (double)r.count / speed[w] : 0;
    }
    for (;;) {
        int w = -1; /* the busy worker that finishes first */
        for (unsigned i = 0; i < WORKERS; i++)
            if (busy[i] && (w < 0 || busy_until[i] < busy_until[w]))
                w = (int)i;
        if (w < 0)
            break;
        double now = busy_until[w];
        pn_range done = pn_chunk_schedule_done(&s, (unsigned)w, (double)s.workers[w].chunk.count /
                                                                  speed[w]);
        cr_assert_eq(pn_ledger_add(l, done, &none, &err), PN_OK, "%s", err.msg);
        (*chunks)++;
        finished[w] = now;
        busy[w] = pn_chunk_schedule_next(&s, (unsigned)w, now, &r);
        busy_until[w] = busy[w] ? now + (double)r.count / speed[w] : now;
    }
    pn_chunk_schedule_clear(&s);
    pn_histogram_clear(&none);
    double first = finished[0], last = finished[0];
    for (unsigned w = 1; w < WORKERS; w++) {
        first = finished[w] < first ? finished[w] : first;
        last = finished[w] > last ? finished[w] : last;
    }
    return last - first;
}

/* A ledger over [7, 7 + 5e9) of 14/4/28. */
static void ledger_over_a_slice(pn_ledger *l)
{
    pn_error err;
    pn_query q = resolved((pn_query){.hosts = 14, .per_host = 4, .guests = 28, .sliced = true,
                                     .skip = 7, .limit = 5000000000ULL});
    cr_assert_eq(pn_ledger_init(l, &q, &err), PN_OK, "%s", err.msg);
}

Test(chunk_schedule, workers_ten_times_apart_cover_the_range_once_and_finish_together)
{
    pn_ledger l;
    ledger_over_a_slice(&l);
    const double speed[WORKERS] = {1e8, 3e8, 1e9};
    uint64_t chunks;
    double spread = simulate(&l, speed, &chunks);
    cr_assert_eq(l.nranges, 1);
    cr_assert_eq(l.ranges[0].first, 7);
    cr_assert_eq(l.ranges[0].count, 5000000000ULL);
    cr_assert_gt(chunks, 10, "time-sized chunks, not one static split: %llu",
                 (unsigned long long)chunks);
    /* 5e9 at 1.4e9/s is 3.6 s of work; a static third each would leave the
     * slow worker 16 s behind the fast one */
    cr_assert_lt(spread, 0.5, "workers finished %.2f s apart", spread);
    pn_ledger_clear(&l);
}

Test(chunk_schedule, a_restored_ledger_has_exactly_its_holes_handed_out)
{
    pn_ledger l;
    pn_error err;
    pn_histogram none;
    ledger_over_a_slice(&l);
    cr_assert_eq(pn_histogram_init(&none, 14, &err), PN_OK);
    const pn_range done[3] = {{7, 1000}, {2000000000ULL, 123456789}, {4999999000ULL, 1007}};
    for (int i = 0; i < 3; i++)
        cr_assert_eq(pn_ledger_add(&l, done[i], &none, &err), PN_OK, "%s", err.msg);
    const double speed[WORKERS] = {2e8, 2e8, 5e8};
    uint64_t chunks;
    simulate(&l, speed, &chunks);
    cr_assert_eq(l.nranges, 1, "holes left: %zu ranges", l.nranges);
    cr_assert_eq(l.ranges[0].first, 7);
    cr_assert_eq(l.ranges[0].count, 5000000000ULL);
    pn_histogram_clear(&none);
    pn_ledger_clear(&l);
}
