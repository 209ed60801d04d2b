/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_cost.h -- the yearly energy bill and the expected saving from napping hosts. */
#ifndef PN_COST_H
#define PN_COST_H

#include <stdbool.h>

#include "base/pn_status.h"

#define PN_HOURS_PER_YEAR (24.0 * 365.0)

/* What the user told us about power and price (--watts, --idle-watts,
 * --price, --currency). `wanted` is false when none of them was given. */
typedef struct pn_cost_input {
    bool wanted;
    bool has_watts, has_price;
    double watts;      /* one host at load, W */
    double idle_watts; /* one napping host, W (default 0) */
    double price;      /* currency units per kWh */
    char currency[16]; /* printed before amounts, default "$" */
} pn_cost_input;

/* The one cost object every report writes (text, JSON, CSV; one level, a
 * sweep, a load curve, a simulation, a fleet): pn_cost_format.h writes it.
 * The yearly figures are for year_share of a year at this load: 1 for a
 * report of one load, a load curve's level's hours over the curve's hours
 * for that level (so the levels' figures add up to the curve's). */
typedef struct pn_cost {
    double watts;          /* one host at load, W; NaN for a weighted fleet */
    double total_watts;    /* every host at load, W */
    double idle_watts;     /* one napping host, W */
    double price;          /* currency units per kWh */
    const char *currency;  /* borrowed from the pn_cost_input */
    double year_share;     /* the share of a year the figures below cover */
    double yearly_kwh_no_nap;      /* every host at load */
    double yearly_cost_no_nap;     /* every host at load */
    double expected_yearly_kwh;    /* the energy napping saves, in kWh */
    double expected_yearly_saving; /* that energy's price */
} pn_cost;

/* Checks a cost input: --watts and --price come together, idle <= watts,
 * the currency is printable UTF-8, and the yearly cost of the largest cloud
 * (PN_MAX_HOSTS hosts) is a finite double. PN_ERR_USAGE naming the problem
 * otherwise. */
pn_status pn_cost_validate(const pn_cost_input *in, pn_error *err);

/* The yearly figures for `hosts` hosts of which, on average,
 * expected_percent/100 nap. */
pn_cost pn_cost_compute(const pn_cost_input *in, unsigned long long hosts,
                        double expected_percent);

/* The yearly figures for a fleet that draws fleet_watts at load, when on
 * average napping_watts of it nap on napping_hosts hosts, each of which
 * still draws the idle watts. */
pn_cost pn_cost_compute_fleet(const pn_cost_input *in, double fleet_watts, double napping_watts,
                              double napping_hosts);

/* c with its yearly figures for `share` of the year (a load curve's level). */
pn_cost pn_cost_share(pn_cost c, double share);

/* Adds c's yearly figures and share into *sum (a load curve's total; start
 * from pn_cost_share(first, 0)). */
void pn_cost_add(pn_cost *sum, const pn_cost *c);

#endif
