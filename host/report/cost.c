/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cost.c -- turning watts, a price and the expected napping share into money per year. */
#include "report/pn_cost.h"

#include <math.h>
#include <stddef.h>

#include "question/pn_query.h"

/* Length of the UTF-8 sequence that starts with byte c and whose code point
 * is at least min_cp; 0 for a byte that cannot start one. */
static size_t utf8_length(unsigned char c, unsigned *min_cp)
{
    if (c < 0x80) { *min_cp = 0; return 1; }
    if (c >= 0xc2 && c <= 0xdf) { *min_cp = 0x80; return 2; }
    if (c >= 0xe0 && c <= 0xef) { *min_cp = 0x800; return 3; }
    if (c >= 0xf0 && c <= 0xf4) { *min_cp = 0x10000; return 4; }
    return 0;
}

/* True when s is well-formed UTF-8 (no overlong form, surrogate or code
 * point past U+10FFFF) holding no control character (C0, DEL or C1): the
 * currency goes verbatim into the text report and into JSON strings. */
static bool printable_utf8(const char *s)
{
    for (const unsigned char *c = (const unsigned char *)s; *c;) {
        unsigned min_cp;
        size_t len = utf8_length(*c, &min_cp);
        if (len == 0)
            return false;
        unsigned cp = len == 1 ? *c : *c & (0x7fu >> len);
        for (size_t i = 1; i < len; i++) {
            if ((c[i] & 0xc0) != 0x80)
                return false;
            cp = cp << 6 | (c[i] & 0x3fu);
        }
        if (cp < min_cp || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp < 0x20 ||
            (cp >= 0x7f && cp <= 0x9f))
            return false;
        c += len;
    }
    return true;
}

pn_status pn_cost_validate(const pn_cost_input *in, pn_error *err)
{
    if (!in->wanted)
        return PN_OK;
    if (!in->has_watts)
        return pn_fail(err, PN_ERR_USAGE, "a cost needs --watts (power of a host at load)");
    if (!in->has_price)
        return pn_fail(err, PN_ERR_USAGE, "a cost needs --price (price per kWh)");
    if (in->idle_watts > in->watts)
        return pn_fail(err, PN_ERR_USAGE,
                       "--idle-watts %g is more than --watts %g: a napping host would cost more",
                       in->idle_watts, in->watts);
    if (!printable_utf8(in->currency))
        return pn_fail(err, PN_ERR_USAGE,
                       "--currency must be printable UTF-8 text (no control characters)");
    /* The largest figures printed are the yearly cost and kWh of the largest cloud. */
    pn_cost worst = pn_cost_compute(in, PN_MAX_HOSTS, 100.0);
    if (!isfinite(worst.yearly_cost_no_nap) || !isfinite(worst.expected_yearly_saving) ||
        !isfinite(worst.yearly_kwh_no_nap))
        return pn_fail(err, PN_ERR_USAGE,
                       "--watts %g and --price %g give a yearly cost too large to print",
                       in->watts, in->price);
    return PN_OK;
}

/* The members every cost shares: what the user gave, for a whole year. */
static pn_cost cost_base(const pn_cost_input *in, double watts, double total_watts)
{
    pn_cost c = {
        .watts = watts,
        .total_watts = total_watts,
        .idle_watts = in->idle_watts,
        .price = in->price,
        .currency = in->currency,
        .year_share = 1.0,
        .yearly_kwh_no_nap = total_watts / 1000.0 * PN_HOURS_PER_YEAR,
    };
    c.yearly_cost_no_nap = c.yearly_kwh_no_nap * in->price;
    return c;
}

pn_cost pn_cost_compute(const pn_cost_input *in, unsigned long long hosts,
                        double expected_percent)
{
    double saved_kwh_per_nap_year = (in->watts - in->idle_watts) / 1000.0 * PN_HOURS_PER_YEAR;
    double expected_napping = (double)hosts * expected_percent / 100.0;
    pn_cost c = cost_base(in, in->watts, (double)hosts * in->watts);
    c.expected_yearly_kwh = expected_napping * saved_kwh_per_nap_year;
    c.expected_yearly_saving = c.expected_yearly_kwh * in->price;
    return c;
}

pn_cost pn_cost_compute_fleet(const pn_cost_input *in, double fleet_watts, double napping_watts,
                              double napping_hosts)
{
    pn_cost c = cost_base(in, NAN, fleet_watts);
    c.expected_yearly_kwh =
        (napping_watts - napping_hosts * in->idle_watts) / 1000.0 * PN_HOURS_PER_YEAR;
    c.expected_yearly_saving = c.expected_yearly_kwh * in->price;
    return c;
}

pn_cost pn_cost_share(pn_cost c, double share)
{
    c.year_share = share;
    c.yearly_kwh_no_nap *= share;
    c.yearly_cost_no_nap *= share;
    c.expected_yearly_kwh *= share;
    c.expected_yearly_saving *= share;
    return c;
}

void pn_cost_add(pn_cost *sum, const pn_cost *c)
{
    sum->year_share += c->year_share;
    sum->yearly_kwh_no_nap += c->yearly_kwh_no_nap;
    sum->yearly_cost_no_nap += c->yearly_cost_no_nap;
    sum->expected_yearly_kwh += c->expected_yearly_kwh;
    sum->expected_yearly_saving += c->expected_yearly_saving;
}
