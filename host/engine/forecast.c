/* SPDX-License-Identifier: GPL-3.0-or-later */
/* forecast.c -- --estimate: every engine's time on this question from measured rates, the --device all split, auto's pick. */
#include "engine/pn_forecast.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "base/pn_duration.h"

pn_status pn_forecast_make(const pn_query *q, pn_run *run, pn_forecast *out, pn_error *err)
{
    memset(out, 0, sizeof *out);
    pn_query_keyspace_text(q, out->keyspace, sizeof out->keyspace);
    pn_error why;
    uint64_t first;
    out->enumerable = pn_query_enumeration_range(q, &first, &out->scenarios, &why) == PN_OK;
    if (!out->enumerable)
        snprintf(out->why_not, sizeof out->why_not, "%s", why.msg);
    pn_exact_cost_estimate(q, &out->exact, NULL);
    pn_status st = PN_OK;
    if (out->enumerable)
        st = pn_engine_cpu_measure(q, run, &out->cpu, err);
    if (st == PN_OK && out->enumerable) {
        st = pn_engine_opencl_measure(q, run, out->device, PN_PROGRESS_MAX_DEVICES,
                                      &out->devices, &why);
        if (st == PN_ERR_INTERRUPTED || st == PN_ERR_USAGE)
            return pn_fail(err, st, "%s", why.msg);
        out->opencl_ok = st == PN_OK && out->devices > 0;
        if (!out->opencl_ok)
            snprintf(out->opencl_problem, sizeof out->opencl_problem, "%s", why.msg);
        for (unsigned d = 0; d < out->devices; d++)
            out->opencl_rate += out->device[d].scenarios_per_second;
        st = PN_OK;
    }
    if (st != PN_OK)
        return st;
    /* auto's own decision, fed the rates just measured: where auto would
     * measure, it judges by these, so the two lines cannot disagree */
    pn_auto_rates known = {.opencl = out->opencl_rate, .cpu = out->cpu.scenarios_per_second};
    pn_auto_choice c;
    st = pn_engine_auto_decide(q, run, &known, &c, err);
    out->auto_kind = c.kind;
    out->auto_seconds = c.seconds;
    out->auto_measured = c.measured;
    return st;
}

/* "2.1 G scenarios/s, 0.5 s" for `scenarios` at `rate`. */
static void rate_and_time(double rate, uint64_t scenarios, char *buf, size_t len)
{
    char r[32], t[64];
    pn_format_rate(rate, r, sizeof r);
    pn_format_duration(rate > 0 ? (double)scenarios / rate : INFINITY, t, sizeof t);
    snprintf(buf, len, "%s scenarios/s measured, %s", r, t);
}

static void write_enumerators(FILE *out, const pn_forecast *f)
{
    char line[160];
    if (f->opencl_ok && f->devices == 1) {
        rate_and_time(f->opencl_rate, f->scenarios, line, sizeof line);
        fprintf(out, "  opencl: %s on %s\n", line, f->device[0].device);
    } else if (f->opencl_ok) {
        rate_and_time(f->opencl_rate, f->scenarios, line, sizeof line);
        fprintf(out, "  opencl, %u devices together: %s; the split by measured speed:\n", f->devices,
                line);
        for (unsigned d = 0; d < f->devices; d++) {
            double share = f->device[d].scenarios_per_second / f->opencl_rate;
            rate_and_time(f->device[d].scenarios_per_second, f->scenarios, line, sizeof line);
            fprintf(out, "    device #%u: %.0f%% of the scenarios (alone: %s) %s\n", d,
                    100.0 * share, line, f->device[d].device);
        }
    } else
        fprintf(out, "  opencl: not available (%s)\n", f->opencl_problem);
    rate_and_time(f->cpu.scenarios_per_second, f->scenarios, line, sizeof line);
    fprintf(out, "  cpu:    %s\n", line);
}

pn_status pn_forecast_write(FILE *out, const pn_forecast *f, pn_error *err)
{
    fprintf(out, "keyspace: %s scenarios\n", f->keyspace);
    if (f->enumerable)
        fprintf(out, "enumerating %llu of them:\n", (unsigned long long)f->scenarios);
    else
        fprintf(out, "enumeration: impossible (%s)\n", f->why_not);
    if (f->enumerable)
        write_enumerators(out, f);
    char took[64], mem[64];
    pn_format_duration(f->exact.seconds, took, sizeof took);
    pn_format_bytes(f->exact.bytes, mem, sizeof mem);
    fprintf(out, "  exact:  about %s and %s (%llu terms on numbers of up to %.0f bits)%s\n", took,
            mem, (unsigned long long)f->exact.terms, f->exact.max_bits,
            f->exact.seconds > PN_EXACT_MAX_SECONDS ? ", refused without --force" : "");
    pn_format_duration(f->auto_seconds, took, sizeof took);
    if (!f->enumerable)
        fprintf(out, "auto would choose: %s (enumeration is impossible, as said above)\n",
                pn_engine_name(f->auto_kind));
    else if (f->auto_measured)
        fprintf(out, "auto would choose: %s (brute force measured at %s; auto enumerates up to "
                     "2 s)\n", pn_engine_name(f->auto_kind), took);
    else
        fprintf(out, "auto would choose: %s (brute force estimated at %s from auto's table "
                     "rate, which it measures only when that says 2 to 8 s; auto enumerates up "
                     "to 2 s)\n", pn_engine_name(f->auto_kind), took);
    if (fflush(out) != 0 || ferror(out))
        return pn_fail(err, PN_ERR_IO, "writing the estimate failed: %s", strerror(errno));
    return PN_OK;
}
