/* cli_values.c -- the option values every cli*.c file parses the same way, on number.c's one grammar. */
#include "cli/pn_cli.h"
#include "cli_parse.h"

#include <string.h>

#include "base/pn_number.h"

bool pn_parse_u64(const char *text, unsigned long long *out)
{
    uint64_t v;
    bool overflow;
    if (!text || !pn_parse_count(text, strlen(text), &v, &overflow))
        return false;
    *out = v;
    return true;
}

bool pn_cli_parse_amount(const char *text, double *out)
{
    return pn_parse_amount(text, strlen(text), out);
}

pn_status pn_cli_bad_value(pn_error *err, const option_spec *o, const char *value,
                           const char *expected)
{
    return pn_fail(err, PN_ERR_USAGE, "--%s '%s': %s", o->long_name, value, expected);
}

pn_status pn_cli_set_count(const option_spec *o, const char *value, uint64_t *field, bool *seen,
                           pn_error *err)
{
    uint64_t v;
    bool overflow;
    if (!pn_parse_count(value, strlen(value), &v, &overflow))
        return pn_cli_bad_value(err, o, value, overflow ? "too large (it overflows a 64-bit integer)"
                                                        : "expected a plain non-negative integer");
    *field = v;
    if (seen)
        *seen = true;
    return PN_OK;
}
