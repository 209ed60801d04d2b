/* query_fixture.h -- tests build questions as literals and resolve them as pn_cli_parse does. */
#ifndef PN_TEST_QUERY_FIXTURE_H
#define PN_TEST_QUERY_FIXTURE_H

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

#endif
