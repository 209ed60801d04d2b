/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cost_format.c -- the one cost object written as text, JSON and CSV, so every report shows the same figures under the same names. */
#include "report/pn_cost_format.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/pn_report_format.h"
#include "slice/pn_json.h"
#include "slice/pn_json_keys.h"

void pn_cost_write_text(FILE *out, const pn_cost *c, unsigned long long hosts, const char *over)
{
    char watts[PN_REPORT_PLAIN_LEN], price[32];
    const char *cur = c->currency;
    pn_report_format_price(price, sizeof price, c->price);
    if (isnan(c->watts)) {
        pn_report_format_plain(watts, sizeof watts, c->total_watts);
        fprintf(out, "\nAt the fleet's [%s] W", watts);
    } else {
        pn_report_format_plain(watts, sizeof watts, c->watts);
        fprintf(out, "\nAt [%s] W per host", watts);
    }
    fprintf(out, " and [%s%s] per kWh, running all [%llu] hosts costs [%s%.2f] per year "
                 "([%.0f] kWh);\n",
            cur, price, hosts, cur, c->yearly_cost_no_nap, c->yearly_kwh_no_nap);
    if (c->idle_watts > 0) {
        pn_report_format_plain(watts, sizeof watts, c->idle_watts);
        fprintf(out, "with a napping host drawing [%s] W, ", watts);
    }
    fprintf(out, "the expected saving%s%s is [%s%.2f] per year ([%.0f] kWh).\n", over ? " " : "",
            over ? over : "", cur, c->expected_yearly_saving, c->expected_yearly_kwh);
}

void pn_cost_write_json(FILE *out, const char *lead, const pn_cost *c)
{
    pn_report_json_key(out, lead, PN_KEY_COST);
    fputc('{', out);
    pn_report_json_double_member(out, "", PN_KEY_WATTS, c->watts);
    pn_report_json_double_member(out, ", ", PN_KEY_TOTAL_WATTS, c->total_watts);
    pn_report_json_double_member(out, ", ", PN_KEY_IDLE_WATTS, c->idle_watts);
    pn_report_json_double_member(out, ", ", PN_KEY_PRICE_PER_KWH, c->price);
    pn_report_json_key(out, ", ", PN_KEY_CURRENCY);
    pn_json_write_string(out, c->currency);
    pn_report_json_double_member(out, ", ", PN_KEY_YEAR_SHARE, c->year_share);
    pn_report_json_double_member(out, ", ", PN_KEY_YEARLY_KWH_NO_NAP, c->yearly_kwh_no_nap);
    pn_report_json_double_member(out, ", ", PN_KEY_YEARLY_COST_NO_NAP, c->yearly_cost_no_nap);
    pn_report_json_double_member(out, ", ", PN_KEY_EXPECTED_YEARLY_KWH, c->expected_yearly_kwh);
    pn_report_json_double_member(out, ", ", PN_KEY_EXPECTED_YEARLY_SAVING,
                                 c->expected_yearly_saving);
    fputc('}', out);
}

/* ",v", or "," alone for an unknown value. */
static void csv_number(FILE *out, double v)
{
    fputc(',', out);
    if (!isnan(v))
        pn_json_write_number(out, v);
}

void pn_cost_write_csv(FILE *out, const pn_cost *c)
{
    csv_number(out, c->watts);
    csv_number(out, c->total_watts);
    csv_number(out, c->idle_watts);
    csv_number(out, c->price);
    fputc(',', out);
    if (strpbrk(c->currency, ",\"\r\n")) { /* RFC 4180: quoted, quotes doubled */
        fputc('"', out);
        for (const char *ch = c->currency; *ch; ch++) {
            if (*ch == '"')
                fputc('"', out);
            fputc(*ch, out);
        }
        fputc('"', out);
    } else
        fputs(c->currency, out);
    csv_number(out, c->year_share);
    csv_number(out, c->yearly_kwh_no_nap);
    csv_number(out, c->yearly_cost_no_nap);
    csv_number(out, c->expected_yearly_kwh);
    csv_number(out, c->expected_yearly_saving);
}
