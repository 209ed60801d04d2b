/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plot_data.c -- a chart's numbers and words (title, axes, bars or curves, markers), read off the same figures the report prints. */
#include "report/pn_plot_data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/pn_consolidation.h"
#include "report/pn_savings.h"

/* "10 hosts x 4 guests" or a fleet's "8x4, 2x16@350W", into buf. */
static void describe_cloud(const pn_query *q, char *buf, size_t len)
{
    if (!q->per_host_bases) {
        snprintf(buf, len, "%llu hosts x %llu guests", (unsigned long long)q->hosts,
                 (unsigned long long)q->per_host);
        return;
    }
    buf[0] = '\0';
    for (unsigned j = 0; j < q->ngroups; j++) {
        size_t used = strlen(buf);
        const pn_group *g = &q->groups[j];
        if (g->watts > 0)
            snprintf(buf + used, len - used, "%s%llux%llu@%gW", j ? ", " : "fleet ",
                     (unsigned long long)g->count, (unsigned long long)g->capacity, g->watts);
        else
            snprintf(buf + used, len - used, "%s%llux%llu", j ? ", " : "fleet ",
                     (unsigned long long)g->count, (unsigned long long)g->capacity);
    }
}

static pn_status allocate(pn_plot_data *d, size_t n, bool bound, pn_error *err)
{
    d->n = n;
    d->x = calloc(n, sizeof *d->x);
    d->y = calloc(n, sizeof *d->y);
    d->bound = bound ? calloc(n, sizeof *d->bound) : NULL;
    if (!d->x || !d->y || (bound && !d->bound))
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for a chart of %zu points", n);
    return PN_OK;
}

pn_status pn_plot_data_single(const pn_report_input *in, pn_plot_data *out, pn_error *err)
{
    const pn_query *q = in->query;
    memset(out, 0, sizeof *out);
    out->kind = PN_PLOT_BARS;
    char cloud[256];
    describe_cloud(q, cloud, sizeof cloud);
    snprintf(out->title, sizeof out->title, "%s, %llu guests, %s model", cloud,
             (unsigned long long)q->guests, pn_model_name(q->model));
    if (q->sliced) {
        size_t used = strlen(out->title);
        snprintf(out->title + used, sizeof out->title - used,
                 ", a slice of %llu of %llu scenarios", (unsigned long long)q->count,
                 (unsigned long long)q->keyspace);
    }
    snprintf(out->x_label, sizeof out->x_label, "napping hosts (of %llu)",
             (unsigned long long)q->hosts);
    snprintf(out->y_label, sizeof out->y_label, "probability (%%)");
    size_t n = 0;
    for (uint64_t k = 0; k <= q->hosts; k++)
        n += mpz_sgn(in->hist->bins[k]) != 0;
    pn_status st = allocate(out, n, false, err);
    mpz_t total;
    mpz_init(total);
    pn_histogram_total(in->hist, total);
    for (uint64_t k = 0, i = 0; st == PN_OK && k <= q->hosts; k++) {
        if (mpz_sgn(in->hist->bins[k]) == 0)
            continue;
        out->x[i] = (double)k;
        out->y[i++] = pn_histogram_percent(in->hist, total, k);
    }
    mpz_clear(total);
    pn_consolidation packed = pn_consolidation_of(q, q->guests);
    out->expected_x = pn_savings_napping_hosts(in->hist, PN_SAVINGS_ALL_GROUPS);
    out->expected_percent = pn_savings_expected_percent(q, in->hist);
    out->bound_x = (double)packed.napping;
    out->bound_percent = packed.savings_percent;
    return st;
}

pn_status pn_plot_data_levels(const pn_levels_report *in, pn_plot_data *out, pn_error *err)
{
    memset(out, 0, sizeof *out);
    out->kind = PN_PLOT_CURVE;
    char cloud[256];
    describe_cloud(in->query, cloud, sizeof cloud);
    if (in->load_curve)
        snprintf(out->title, sizeof out->title, "%s, load curve %.96s, %s model", cloud,
                 in->load_curve, pn_model_name(in->query->model));
    else
        snprintf(out->title, sizeof out->title, "%s, %llu to %llu guests, %s model", cloud,
                 (unsigned long long)pn_levels_at(in->levels, 0),
                 (unsigned long long)pn_levels_at(in->levels, in->levels->n - 1),
                 pn_model_name(in->query->model));
    /* the slots model is what placing guests at random gives; the uniform
     * model (the 2009 one) counts every vector of guests per host once */
    snprintf(out->legend, sizeof out->legend, "- expected savings (%s)",
             in->query->model == PN_MODEL_SLOTS ? "slots model: random placement"
                                                : "uniform model");
    snprintf(out->x_label, sizeof out->x_label, "guests");
    snprintf(out->y_label, sizeof out->y_label, "power savings (%%)");
    pn_status st = allocate(out, in->levels->n, true, err);
    for (size_t i = 0; st == PN_OK && i < in->levels->n; i++) {
        pn_query q;
        pn_report_input one = pn_report_levels_input(in, i, &q);
        out->x[i] = (double)q.guests;
        out->y[i] = pn_savings_expected_percent(&q, one.hist);
        out->bound[i] = pn_consolidation_of(&q, q.guests).savings_percent;
    }
    out->has_overall = in->load_curve != NULL;
    if (out->has_overall)
        out->overall_percent = pn_report_levels_overall(in);
    return st;
}

void pn_plot_data_clear(pn_plot_data *d)
{
    free(d->x);
    free(d->y);
    free(d->bound);
    d->x = d->y = d->bound = NULL;
    d->n = 0;
}
