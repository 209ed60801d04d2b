/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_ledger.c -- a checkpoint ledger's bookkeeping: ranges join, overlaps and strays are refused, gaps are found. */
#include <criterion/criterion.h>

#include "slice/pn_ledger.h"
#include "query_fixture.h"

/* The ledger's bookkeeping on its own: ranges join, overlaps are refused,
 * gaps are found. */
Test(ledger, ranges_join_and_gaps_are_found)
{
    pn_query q = resolved((pn_query){.hosts = 4, .per_host = 2, .guests = 3, .sliced = true,
                                     .skip = 10, .limit = 60});
    pn_ledger l;
    pn_error err;
    pn_histogram zero;
    cr_assert_eq(pn_ledger_init(&l, &q, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(pn_histogram_init(&zero, 4, &err), PN_OK);
    pn_range gap;
    cr_assert(pn_ledger_next_gap(&l, 0, &gap) && gap.first == 10 && gap.count == 60);
    cr_assert_eq(pn_ledger_add(&l, (pn_range){30, 10}, &zero, &err), PN_OK);
    cr_assert_eq(pn_ledger_add(&l, (pn_range){10, 5}, &zero, &err), PN_OK);
    cr_assert_eq(pn_ledger_add(&l, (pn_range){35, 10}, &zero, &err), PN_ERR_USAGE);
    cr_assert_eq(pn_ledger_add(&l, (pn_range){65, 10}, &zero, &err), PN_ERR_USAGE);
    cr_assert_eq(pn_ledger_add(&l, (pn_range){15, 15}, &zero, &err), PN_OK);
    cr_assert_eq(l.nranges, 1, "[10,15) [15,30) [30,40) join into one");
    cr_assert_eq(pn_ledger_done(&l), 30);
    cr_assert(pn_ledger_next_gap(&l, 0, &gap) && gap.first == 40 && gap.count == 30);
    cr_assert_eq(pn_ledger_add(&l, (pn_range){40, 30}, &zero, &err), PN_OK);
    cr_assert(!pn_ledger_next_gap(&l, 0, &gap));
    pn_histogram_clear(&zero);
    pn_ledger_clear(&l);
}
