/* SPDX-License-Identifier: GPL-3.0-or-later */
/* query_fixture.h -- tests build questions as literals (a cloud, a slice of one, a fleet) and resolve them as pn_cli_parse does. */
#ifndef PN_TEST_QUERY_FIXTURE_H
#define PN_TEST_QUERY_FIXTURE_H

#include <criterion/criterion.h>
#include <stdint.h>

#include "question/pn_fleet.h"
#include "question/pn_query.h"

/* q resolved by pn_query_resolve. A query the resolver refuses comes back
 * unresolved, so the engine under test refuses it too and the test can
 * check that refusal. */
static inline pn_query resolved(pn_query q)
{
    pn_error ignored;
    (void)pn_query_resolve(&q, &ignored);
    return q;
}

/* The whole keyspace of h hosts of p guests with g guests, resolved. */
static inline pn_query query(uint64_t h, uint64_t p, uint64_t g, pn_model model)
{
    return resolved((pn_query){.hosts = h, .per_host = p, .guests = g, .model = model});
}

/* q cut down to scenarios [skip, skip + limit), resolved. */
static inline pn_query sliced(pn_query q, uint64_t skip, uint64_t limit)
{
    q.sliced = true;
    q.skip = skip;
    q.limit = limit;
    return resolved(q);
}

/* The fleet `spec` (as --fleet takes it) at g guests, resolved; the test
 * fails when the spec or the question is refused. */
static inline pn_query fleet(const char *spec, uint64_t g, pn_model model)
{
    pn_query q = {.guests = g, .model = model};
    pn_error err;
    cr_assert_eq(pn_fleet_parse(spec, &q, &err), PN_OK, "%s: %s", spec, err.msg);
    cr_assert_eq(pn_query_resolve(&q, &err), PN_OK, "%s: %s", spec, err.msg);
    return q;
}

/* (p+1)^h, or 0 when it reaches 2^64; computed here, not by the library. */
static inline uint64_t keyspace_of(uint64_t h, uint64_t p)
{
    unsigned __int128 k = 1;
    for (uint64_t i = 0; i < h; i++) {
        k *= p + 1;
        if (k > UINT64_MAX)
            return 0;
    }
    return (uint64_t)k;
}

#endif
