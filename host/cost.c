/* cost.c -- turning watts, a price and the expected napping share into money per year. */
#include "pn_cost.h"

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
    return PN_OK;
}

pn_cost pn_cost_compute(const pn_cost_input *in, unsigned long long hosts,
                        double expected_percent)
{
    double kwh_per_host_year = in->watts / 1000.0 * PN_HOURS_PER_YEAR;
    double saved_kwh_per_nap_year = (in->watts - in->idle_watts) / 1000.0 * PN_HOURS_PER_YEAR;
    double expected_napping = (double)hosts * expected_percent / 100.0;
    pn_cost c = {
        .yearly_cost_no_nap = (double)hosts * kwh_per_host_year * in->price,
        .expected_yearly_saving = expected_napping * saved_kwh_per_nap_year * in->price,
    };
    return c;
}
