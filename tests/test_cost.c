/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_cost.c -- the yearly bill and the saving, worked by hand for a cloud and a fleet, and every cost input that cannot be printed refused. */
#include <criterion/criterion.h>
#include <string.h>

#include "report/pn_cost.h"

/* An input with watts, idle watts and a price, in dollars. */
static pn_cost_input input(double watts, double idle, double price)
{
    return (pn_cost_input){.wanted = true, .has_watts = true, .has_price = true,
                           .watts = watts, .idle_watts = idle, .price = price, .currency = "$"};
}

/* 10 hosts at 250 W, 50 W when napping, 0.20 a kWh, 30 % napping on
 * average. A host-year at load is 0.25 kW * 8760 h = 2190 kWh, so all ten
 * cost 10 * 2190 * 0.20 = 4380 a year. 3 hosts nap on average, each saving
 * 0.20 kW * 8760 h = 1752 kWh: 5256 kWh, worth 1051.20. */
Test(cost, a_cloud_worked_by_hand)
{
    pn_cost_input in = input(250, 50, 0.20);
    pn_cost c = pn_cost_compute(&in, 10, 30.0);
    cr_assert_float_eq(c.yearly_cost_no_nap, 4380.0, 1e-9);
    cr_assert_float_eq(c.expected_yearly_kwh, 5256.0, 1e-9);
    cr_assert_float_eq(c.expected_yearly_saving, 1051.2, 1e-9);
}

/* Nothing napping saves nothing; a napping host that draws what a busy
 * one does saves nothing either, however many nap. */
Test(cost, no_nap_or_no_difference_saves_nothing)
{
    pn_cost_input in = input(80, 0, 0.10);
    pn_cost c = pn_cost_compute(&in, 8, 0.0);
    cr_assert_float_eq(c.yearly_cost_no_nap, 8 * 0.08 * 8760 * 0.10, 1e-9); /* 560.64 */
    cr_assert_eq(c.expected_yearly_saving, 0.0);
    cr_assert_eq(c.expected_yearly_kwh, 0.0);
    in = input(80, 80, 0.10);
    c = pn_cost_compute(&in, 8, 100.0);
    cr_assert_eq(c.expected_yearly_saving, 0.0);
    cr_assert_eq(c.expected_yearly_kwh, 0.0);
}

/* 8 hosts at 200 W and 2 at 350 W draw 2300 W: 2.3 kW * 8760 h * 0.10 =
 * 2014.80 a year. When 1600 W of it naps on 8 hosts that still draw 20 W
 * each, 1600 - 160 = 1440 W is saved: 1.44 kW * 8760 h = 12614.4 kWh,
 * worth 1261.44. */
Test(cost, a_fleet_worked_by_hand)
{
    pn_cost_input in = input(1, 20, 0.10); /* a fleet's watts come from its groups */
    pn_cost c = pn_cost_compute_fleet(&in, 2300, 1600, 8);
    cr_assert_float_eq(c.yearly_cost_no_nap, 2014.8, 1e-9);
    cr_assert_float_eq(c.expected_yearly_kwh, 12614.4, 1e-9);
    cr_assert_float_eq(c.expected_yearly_saving, 1261.44, 1e-9);
}

/* Insists in is refused as bad input with a message holding `what`. */
static void cost_refused(const pn_cost_input *in, const char *what)
{
    pn_error err = {{0}};
    cr_assert_eq(pn_cost_validate(in, &err), PN_ERR_USAGE, "accepted, want '%s'", what);
    cr_assert(strstr(err.msg, what), "'%s' should mention '%s'", err.msg, what);
}

Test(cost, watts_and_price_come_together_and_idle_is_at_most_watts)
{
    pn_error err = {{0}};
    pn_cost_input in = input(80, 90, 0.10);
    in.wanted = false; /* no cost asked for: nothing to check */
    cr_assert_eq(pn_cost_validate(&in, &err), PN_OK);
    in.wanted = true;
    cost_refused(&in, "--idle-watts");
    in.idle_watts = 80; /* a napping host may draw as much as a busy one */
    cr_assert_eq(pn_cost_validate(&in, &err), PN_OK, "%s", err.msg);
    in.has_watts = false;
    cost_refused(&in, "--watts");
    in = input(80, 0, 0.10);
    in.has_price = false;
    cost_refused(&in, "--price");
}

/* The currency goes verbatim into text and JSON: printable UTF-8 only. */
Test(cost, the_currency_is_printable_utf8)
{
    static const char *const good[] = {"$", "EUR ", "\xe2\x82\xac", "\xc2\xa0",
                                       "\xf0\x9f\x92\xb6", "\xf4\x8f\xbf\xbf"};
    /* C0, DEL, C1 (U+0085), an overlong '/', a surrogate (U+D800), past
     * U+10FFFF, a byte that starts nothing, a sequence cut short */
    static const char *const bad[] = {"\x01", "a\x7f", "\xc2\x85", "\xc0\xaf", "\xed\xa0\x80",
                                      "\xf4\x90\x80\x80", "\xff", "\xe2\x82"};
    pn_error err = {{0}};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        pn_cost_input in = input(80, 0, 0.10);
        strcpy(in.currency, good[i]);
        cr_assert_eq(pn_cost_validate(&in, &err), PN_OK, "currency %zu: %s", i, err.msg);
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        pn_cost_input in = input(80, 0, 0.10);
        strcpy(in.currency, bad[i]);
        cost_refused(&in, "--currency");
    }
}

/* The largest cloud (10^6 hosts) must have a finite yearly cost: 10^290 W
 * at 1 a kWh is 10^6 * 10^287 kW * 8760 h, about 8.8 * 10^296, finite;
 * 10^300 W at 10^10 a kWh is about 10^316, past any double. */
Test(cost, a_bill_past_the_largest_double_is_refused)
{
    pn_error err = {{0}};
    pn_cost_input in = input(1e290, 0, 1);
    cr_assert_eq(pn_cost_validate(&in, &err), PN_OK, "%s", err.msg);
    in = input(1e300, 0, 1e10);
    cost_refused(&in, "too large");
}
