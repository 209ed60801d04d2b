/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trace_generate.c -- a synthetic trace: Poisson arrivals (optionally shaped by the hour of the day), exponential lifetimes, sizes from a flavor mix, all from a seeded Philox stream. */
#include "replay/pn_trace_sources.h"

#include <math.h>
#include <string.h>

#include <Random123/philox.h>

#define SECONDS_PER_HOUR 3600.0
#define HOURS_PER_DAY 24

/* The four 64-bit draws of candidate arrival i (pn_trace_sources.h gives
 * the layout: two Philox blocks, counters {i, 0} and {i, 1}). */
typedef struct draws {
    uint64_t gap, lifetime, flavor, thinning;
} draws;

static uint64_t join(uint32_t low, uint32_t high)
{
    return (uint64_t)high << 32 | low;
}

static draws draw(philox4x32_key_t key, uint64_t i)
{
    philox4x32_ctr_t first = {{(uint32_t)i, (uint32_t)(i >> 32), 0, 0}};
    philox4x32_ctr_t second = {{(uint32_t)i, (uint32_t)(i >> 32), 1, 0}};
    philox4x32_ctr_t a = philox4x32(first, key), b = philox4x32(second, key);
    return (draws){join(a.v[0], a.v[1]), join(a.v[2], a.v[3]), join(b.v[0], b.v[1]),
                   join(b.v[2], b.v[3])};
}

/* (0, 1): never 0, so its log is finite; never 1, so a gap is never 0. */
static double open_unit(uint64_t x)
{
    return ((double)(x >> 11) + 0.5) * 0x1p-53;
}

/* [0, 1). */
static double unit(uint64_t x)
{
    return (double)(x >> 11) * 0x1p-53;
}

/* The first flavor whose running sum of probabilities passes v; the last
 * when rounding leaves the sum just short of v. */
static size_t pick_flavor(const pn_flavors *f, double v)
{
    double sum = 0;
    for (size_t i = 0; i + 1 < f->n; i++) {
        sum += f->probability[i];
        if (v < sum)
            return i;
    }
    return f->n - 1;
}

/* The hourly curve's largest multiplier; PN_ERR_USAGE for a bad curve. */
static pn_status curve_peak(const double *hourly, double *peak, pn_error *err)
{
    *peak = 1;
    if (!hourly)
        return PN_OK;
    *peak = 0;
    for (int h = 0; h < HOURS_PER_DAY; h++) {
        if (!isfinite(hourly[h]) || hourly[h] < 0)
            return pn_fail(err, PN_ERR_USAGE, "the hourly rate multiplier of hour %d is %g: it "
                                              "must be a finite non-negative number", h,
                           hourly[h]);
        *peak = fmax(*peak, hourly[h]);
    }
    if (!(*peak > 0))
        return pn_fail(err, PN_ERR_USAGE, "the hourly rate multipliers are all 0: no VM would "
                                          "ever arrive");
    return PN_OK;
}

/* PN_ERR_USAGE unless spec's numbers and flavors can make a trace. */
static pn_status check_spec(const pn_trace_spec *s, double peak, pn_error *err)
{
    if (!(isfinite(s->arrivals_per_hour) && s->arrivals_per_hour > 0))
        return pn_fail(err, PN_ERR_USAGE, "--arrivals %g: the rate must be a positive number of "
                                          "VMs per hour", s->arrivals_per_hour);
    if (!(isfinite(s->lifetime_seconds) && s->lifetime_seconds > 0))
        return pn_fail(err, PN_ERR_USAGE, "--lifetime %g: the mean lifetime must be a positive "
                                          "number of seconds", s->lifetime_seconds);
    if (!(isfinite(s->duration_seconds) && s->duration_seconds > 0))
        return pn_fail(err, PN_ERR_USAGE, "--duration %g: the duration must be a positive "
                                          "number of seconds", s->duration_seconds);
    /* -log of the smallest open_unit is about 37.4: every end stays finite */
    if (!isfinite(s->duration_seconds + 38 * s->lifetime_seconds))
        return pn_fail(err, PN_ERR_USAGE, "--lifetime %g: departures would pass the largest "
                                          "time a double holds", s->lifetime_seconds);
    if (!s->flavors || s->flavors->n == 0)
        return pn_fail(err, PN_ERR_USAGE, "--flavors: no flavors to draw sizes from");
    double expected = s->arrivals_per_hour * peak / SECONDS_PER_HOUR * s->duration_seconds;
    if (!(expected <= PN_TRACE_GENERATE_MAX))
        return pn_fail(err, PN_ERR_USAGE, "--arrivals %g over --duration %g would draw about "
                       "%.3g VMs, more than %.0f", s->arrivals_per_hour, s->duration_seconds,
                       expected, PN_TRACE_GENERATE_MAX);
    return PN_OK;
}

/* Candidates at the peak rate, each kept with probability
 * hourly[hour] / peak (thinning makes the rate follow the curve). */
static pn_status fill(const pn_trace_spec *s, double peak, pn_trace *trace, pn_error *err)
{
    philox4x32_key_t key = {{(uint32_t)s->seed, (uint32_t)(s->seed >> 32)}};
    double rate = s->arrivals_per_hour * peak / SECONDS_PER_HOUR; /* candidates per second */
    double t = 0;
    for (uint64_t i = 0;; i++) {
        draws d = draw(key, i);
        t += -log(open_unit(d.gap)) / rate;
        if (!(t < s->duration_seconds))
            return PN_OK;
        if (s->hourly) {
            int hour = (int)(fmod(t, 86400.0) / SECONDS_PER_HOUR);
            if (!(unit(d.thinning) < s->hourly[hour] / peak))
                continue;
        }
        const pn_flavors *f = s->flavors;
        size_t k = pick_flavor(f, unit(d.flavor));
        pn_trace_vm vm = {.start = t, .cores = f->cores[k],
                          .memory = f->has_memory ? f->memory[k] : 0};
        vm.end = t + -log(open_unit(d.lifetime)) * s->lifetime_seconds;
        if (!(vm.end > vm.start)) /* a lifetime below half an ulp of t */
            vm.end = nextafter(vm.start, INFINITY);
        pn_status st = pn_trace_append(trace, &vm, err);
        if (st != PN_OK)
            return st;
    }
}

pn_status pn_trace_generate(const pn_trace_spec *spec, pn_trace *trace, pn_error *err)
{
    double peak;
    pn_status st = curve_peak(spec->hourly, &peak, err);
    if (st == PN_OK)
        st = check_spec(spec, peak, err);
    if (st == PN_OK) {
        trace->has_memory = spec->flavors->has_memory;
        trace->skipped = 0;
        st = fill(spec, peak, trace, err);
    }
    if (st != PN_OK)
        pn_trace_free(trace);
    return st;
}
