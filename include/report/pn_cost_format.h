/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_cost_format.h -- the one cost object written as text, as a JSON object and as CSV columns. */
#ifndef PN_COST_FORMAT_H
#define PN_COST_FORMAT_H

#include <stddef.h>
#include <stdio.h>

#include "report/pn_cost.h"

/* The text report's cost paragraph, a blank line first: the power, the
 * price, the yearly bill and kWh of every host at load, then the expected
 * saving in money and kWh. `over` (may be NULL) names what the saving is
 * averaged over ("over the load curve"). */
void pn_cost_write_text(FILE *out, const pn_cost *c, unsigned long long hosts, const char *over);

/* `"cost": {...}` after lead: every member of c, in the order of
 * PN_COST_CSV_HEADER (watts null for a weighted fleet). */
void pn_cost_write_json(FILE *out, const char *lead, const pn_cost *c);

/* The CSV columns of a cost, a comma before each, in JSON's order. */
#define PN_COST_CSV_HEADER                                                                     \
    ",watts,total_watts,idle_watts,price_per_kwh,currency,year_share,yearly_kwh_no_nap,"      \
    "yearly_cost_no_nap,expected_yearly_kwh,expected_yearly_saving"

/* c's fields for PN_COST_CSV_HEADER, a comma before each (an unknown watts
 * empty, the currency quoted when it holds a comma or a quote). */
void pn_cost_write_csv(FILE *out, const pn_cost *c);

#endif
