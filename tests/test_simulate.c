/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_simulate.c -- the scheduler simulation: identical counts on every engine and split, the slots model under random placement, the policies' order, the question's checks. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "engine/pn_engine.h"
#include "opencl/pn_kernel_source.h"
#include "simulate/pn_simulate.h"
#include "simulate/pn_simulate_stats.h"
#include "engine_fixture.h"
#include "query_fixture.h"

/* A resolved simulation question; lengths 0 mean the defaults. */
static pn_sim_query sim(uint64_t h, uint64_t p, uint64_t g, pn_policy policy,
                        uint64_t trajectories, uint64_t ticks)
{
    pn_sim_query q = {.hosts = h, .per_host = p, .has_guests = true, .guests = g,
                      .policy = policy, .seed = 42,
                      .has_trajectories = trajectories > 0, .trajectories = trajectories,
                      .has_ticks = ticks > 0, .ticks = ticks};
    pn_error err = {{0}};
    cr_assert_eq(pn_sim_query_resolve(&q, &err), PN_OK, "%s", err.msg);
    return q;
}

static void run_cpu(const pn_sim_query *q, pn_sim_result *r)
{
    pn_error err = {{0}};
    pn_run run = {0};
    cr_assert_eq(pn_sim_result_init(r, q, &err), PN_OK);
    cr_assert_eq(pn_sim_cpu_run(q, &run, r, &err), PN_OK, "%s", err.msg);
}

static void run_opencl(const pn_sim_query *q, size_t group, pn_sim_result *r)
{
    pn_error err = {{0}};
    pn_run run = {0};
    cr_assert_eq(pn_sim_result_init(r, q, &err), PN_OK);
    cr_assert_eq(pn_sim_opencl_run(q, &run, group, r, &err), PN_OK, "%s", err.msg);
    cr_assert(strncmp(run.engine_used, "opencl (", 8) == 0, "%s", run.engine_used);
}

static void summarize(const pn_sim_query *q, pn_sim_summary *s)
{
    pn_sim_result r;
    pn_error err = {{0}};
    run_cpu(q, &r);
    cr_assert_eq(pn_sim_summarize(q, &r, s, &err), PN_OK, "%s", err.msg);
    pn_sim_result_clear(&r);
}

/* The simulation kernel is built with no -I: Random123 is inlined in the
 * embedded source, which therefore includes no header of its own (the
 * shared header's <stdint.h> is for the host's compiler only), and the
 * binary runs where librandom123-dev is not installed. */
Test(simulate, embedded_kernel_includes_no_header)
{
    cr_assert_null(strstr(pn_simulate_kernel_source, "#include <Random123"));
    cr_assert_null(strstr(pn_simulate_kernel_source, "#include \"")); /* nothing from -I */
    const char *own = strstr(pn_simulate_kernel_source, "__kernel");
    cr_assert_not_null(own);
    cr_assert_null(strstr(own, "#include"), "the kernel itself includes a header");
    cr_assert_not_null(strstr(pn_simulate_kernel_source, "philox4x32_R("));
    cr_assert_eq(strlen(pn_simulate_kernel_source), pn_simulate_kernel_source_len);
}

/* Every policy, on clouds with and without the at-guests condition: the
 * kernel at several work-group sizes gives the cpu engine's exact counts. */
Test(simulate, opencl_equals_cpu_for_every_policy_and_group)
{
    static const size_t groups[] = {0, 1, 7, 64};
    for (unsigned pol = 0; pol < PN_POLICIES; pol++) {
        pn_sim_query q = sim(10, 4, 20, (pn_policy)pol, 70, 3000);
        if (pol == PN_POLICY_ROUND_ROBIN) { /* all loads, an odd burn-in and a bigger cloud */
            q = (pn_sim_query){.hosts = 37, .per_host = 3, .has_load = true, .load = 50.5,
                               .policy = (pn_policy)pol, .has_trajectories = true,
                               .trajectories = 33, .has_ticks = true, .ticks = 1001,
                               .has_burn_in = true, .burn_in = 17, .seed = 7};
            pn_error err;
            cr_assert_eq(pn_sim_query_resolve(&q, &err), PN_OK, "%s", err.msg);
        }
        pn_sim_result cpu;
        run_cpu(&q, &cpu);
        for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
            pn_sim_result cl;
            run_opencl(&q, groups[i], &cl);
            cr_assert(pn_sim_result_equal(&cl, &cpu), "%s, group %zu: counts differ",
                      pn_policy_name((pn_policy)pol), groups[i]);
            pn_sim_result_clear(&cl);
        }
        pn_sim_result_clear(&cpu);
    }
}

/* The same seed gives the same counts; another seed other counts; every
 * observed tick is counted once. */
Test(simulate, seeds_and_totals)
{
    pn_sim_query q = sim(6, 2, 5, PN_POLICY_FIRST_FIT, 12, 2000);
    pn_sim_result a, b, c;
    run_cpu(&q, &a);
    run_cpu(&q, &b);
    q.seed = 43;
    run_cpu(&q, &c);
    cr_assert(pn_sim_result_equal(&a, &b));
    cr_assert(!pn_sim_result_equal(&a, &c));
    uint64_t all = 0;
    for (uint64_t k = 0; k <= q.hosts; k++)
        all += pn_sim_result_total(&a, PN_SIM_ALL(q.hosts, k));
    cr_assert_eq(all, 12 * 2000);
    pn_sim_result_clear(&a);
    pn_sim_result_clear(&b);
    pn_sim_result_clear(&c);
}

/* The exact slots-model probabilities of h/p/g. */
static void slots_model(uint64_t h, uint64_t p, uint64_t g, double *prob, double *expected)
{
    pn_query q = query(h, p, g, PN_MODEL_SLOTS);
    pn_histogram hist;
    mpz_t total;
    engine_ok(pn_engine_exact_run, &q, &hist);
    mpz_init(total);
    pn_histogram_total(&hist, total);
    for (uint64_t k = 0; k <= h; k++)
        prob[k] = pn_histogram_probability(&hist, total, k);
    *expected = pn_histogram_expected_percent(&hist);
    mpz_clear(total);
    pn_histogram_clear(&hist);
}

/* Under random placement the occupied slots are, at any fixed count, a
 * uniformly random set (the chain is reversible and its stationary law
 * depends on the count alone), so the time at exactly g guests must show
 * the slots model. Checked on three clouds: each probability and the
 * expected savings lie within their 95% half-widths (for this fixed seed;
 * an unlucky seed may put one of the ~20 figures just outside), a
 * probability give or take RARE: a bin too rare to be seen at all has no
 * half-width (10/4/20 has 5 napping hosts with probability 2e-6). */
#define RARE 5e-4
Test(simulate, random_policy_is_the_slots_model)
{
    static const uint64_t clouds[][4] = {
        /* h, p, g, trajectories */
        {10, 4, 20, 256}, {6, 3, 7, 128}, {8, 2, 11, 128},
    };
    for (size_t c = 0; c < 3; c++) {
        uint64_t h = clouds[c][0], p = clouds[c][1], g = clouds[c][2];
        pn_sim_query q = sim(h, p, g, PN_POLICY_RANDOM, clouds[c][3], 0);
        pn_sim_summary s;
        double want[16], expected;
        summarize(&q, &s);
        slots_model(h, p, g, want, &expected);
        for (uint64_t k = 0; k <= h; k++)
            cr_assert(fabs(s.probability[k].value - want[k]) <= s.probability[k].ci95 + RARE,
                      "%llu/%llu/%llu k=%llu: simulated %.5f +- %.5f, slots model %.5f",
                      (unsigned long long)h, (unsigned long long)p, (unsigned long long)g,
                      (unsigned long long)k, s.probability[k].value, s.probability[k].ci95,
                      want[k]);
        cr_assert(fabs(s.expected.value - expected) <= s.expected.ci95,
                  "%llu/%llu/%llu: expected %.3f +- %.3f, slots model %.3f",
                  (unsigned long long)h, (unsigned long long)p, (unsigned long long)g,
                  s.expected.value, s.expected.ci95, expected);
        pn_sim_summary_clear(&s);
    }
}

/* The 2009 question, 10 hosts x 4, 20 guests: packing policies nap far
 * more hosts than random placement, spreading fewer, and none beats the
 * packing bound (h - ceil(g/p)) / h = 50%. */
Test(simulate, policies_in_order_on_10_4_20)
{
    double lo[PN_POLICIES], hi[PN_POLICIES];
    for (unsigned pol = 0; pol < PN_POLICIES; pol++) {
        pn_sim_query q = sim(10, 4, 20, (pn_policy)pol, 64, 0);
        pn_sim_summary s;
        summarize(&q, &s);
        lo[pol] = s.expected.value - s.expected.ci95;
        hi[pol] = s.expected.value + s.expected.ci95;
        cr_assert(hi[pol] < 50.0, "%s: %.2f%% reaches the packing bound",
                  pn_policy_name((pn_policy)pol), s.expected.value);
        pn_sim_summary_clear(&s);
    }
    cr_assert(lo[PN_POLICY_BEST_FIT] > hi[PN_POLICY_RANDOM] + 20.0, "best-fit %.2f", lo[2]);
    cr_assert(lo[PN_POLICY_FIRST_FIT] > hi[PN_POLICY_RANDOM] + 20.0, "first-fit %.2f", lo[1]);
    cr_assert(lo[PN_POLICY_RANDOM] > hi[PN_POLICY_WORST_FIT], "random %.2f, worst-fit %.2f",
              lo[0], hi[3]);
}

/* --load alone: every tick is reported, and the all-time figures equal the
 * reported ones. */
Test(simulate, all_loads_without_guests)
{
    pn_sim_query q = {.hosts = 5, .per_host = 2, .has_load = true, .load = 4,
                      .policy = PN_POLICY_BEST_FIT, .has_trajectories = true,
                      .trajectories = 8, .has_ticks = true, .ticks = 3000};
    pn_error err = {{0}};
    cr_assert_eq(pn_sim_query_resolve(&q, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(q.observe, PN_SIM_ALL_LOADS);
    pn_sim_summary s;
    summarize(&q, &s);
    cr_assert_eq(s.reported, 8 * 3000);
    cr_assert_eq(s.observed, 8 * 3000);
    cr_assert_eq(s.expected.value, s.all_expected.value);
    cr_assert(s.wakeups > 0 && s.wakeups_per_host.value > 0);
    pn_sim_summary_clear(&s);
}

/* Defaults, the arrival threshold, batches that tile the trajectories. */
Test(simulate, resolve_defaults_and_batches)
{
    pn_sim_query q = {.hosts = 10, .per_host = 4, .has_guests = true, .guests = 20};
    pn_error err = {{0}};
    cr_assert_eq(pn_sim_query_resolve(&q, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(q.load, 20.0);
    cr_assert_eq(q.rate, 60.0);
    cr_assert_eq(q.trajectories, PN_SIM_DEFAULT_TRAJECTORIES);
    cr_assert_eq(q.ticks, PN_SIM_DEFAULT_LIFETIMES * 60);
    cr_assert_eq(q.burn_in, PN_SIM_DEFAULT_BURN_IN_LIFETIMES * 60);
    cr_assert_eq(q.arrive, 1431655765u); /* floor(2^32 / 3) */
    cr_assert_eq(q.batches, PN_SIM_BATCHES);
    q.trajectories = 1001;
    q.has_trajectories = true;
    cr_assert_eq(pn_sim_query_resolve(&q, &err), PN_OK);
    uint64_t next = 0;
    for (unsigned b = 0; b < q.batches; b++) {
        uint64_t first, count;
        pn_sim_batch_range(&q, b, &first, &count);
        cr_assert_eq(first, next);
        cr_assert(count == 31 || count == 32, "batch %u has %llu", b, (unsigned long long)count);
        next = first + count;
    }
    cr_assert_eq(next, 1001);
    q.trajectories = 5;
    cr_assert_eq(pn_sim_query_resolve(&q, &err), PN_OK);
    cr_assert_eq(q.batches, 5);
}

static void resolve_refused(pn_sim_query q, const char *needle)
{
    pn_error err = {{0}};
    cr_assert_eq(pn_sim_query_resolve(&q, &err), PN_ERR_USAGE, "accepted: want '%s'", needle);
    cr_assert(strstr(err.msg, needle), "'%s' not in: %s", needle, err.msg);
}

Test(simulate, resolve_refuses_bad_questions)
{
    pn_sim_query ok = {.hosts = 10, .per_host = 4, .has_guests = true, .guests = 20};
    pn_sim_query q = ok;
    q.hosts = PN_SIM_MAX_HOSTS + 1;
    resolve_refused(q, "1 to 1024 hosts");
    q = ok;
    q.per_host = 0;
    resolve_refused(q, "guests per host");
    q = ok;
    q.guests = 41;
    resolve_refused(q, "more than the 40 slots");
    q = ok;
    q.guests = 0;
    resolve_refused(q, "offers no load");
    q = ok;
    q.has_guests = false;
    resolve_refused(q, "needs --guests");
    q = ok;
    q.has_load = true;
    q.load = 0;
    resolve_refused(q, "above 0");
    q = ok;
    q.has_ticks = true;
    resolve_refused(q, "--ticks must be at least 1");
    q = ok;
    q.has_trajectories = true;
    resolve_refused(q, "--trajectories must be at least 1");
    q = ok;
    q.has_trajectories = q.has_ticks = true;
    q.trajectories = 1ULL << 32;
    q.ticks = 1ULL << 31;
    resolve_refused(q, "below 2^63");
}

/* Batch means: identical batches give a zero half-width; one batch none. */
Test(simulate, confidence_from_batches)
{
    cr_assert_float_eq(pn_student_t975(31), 2.040, 1e-9);
    cr_assert_float_eq(pn_student_t975(1), 12.706, 1e-9);
    cr_assert(isnan(pn_student_t975(0)));
    pn_sim_query q = sim(2, 1, 1, PN_POLICY_FIRST_FIT, 2, 10);
    pn_sim_result r;
    pn_error err = {{0}};
    cr_assert_eq(pn_sim_result_init(&r, &q, &err), PN_OK);
    for (unsigned b = 0; b < 2; b++) { /* each batch: 3 ticks with 1 napping, 1 with 0 */
        r.cells[b * r.stride + PN_SIM_AT(2, 0)] = 1;
        r.cells[b * r.stride + PN_SIM_AT(2, 1)] = 3;
        r.cells[b * r.stride + PN_SIM_ALL(2, 1)] = 4;
    }
    pn_sim_summary s;
    cr_assert_eq(pn_sim_summarize(&q, &r, &s, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(s.probability[1].value, 0.75);
    cr_assert_eq(s.probability[1].ci95, 0.0);
    cr_assert_eq(s.expected.value, 37.5);
    pn_sim_summary_clear(&s);
    r.cells[PN_SIM_AT(2, 1)] = 1; /* batch 0: 1 of 2, batch 1: 3 of 4 */
    cr_assert_eq(pn_sim_summarize(&q, &r, &s, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(s.probability[1].value, 4.0 / 6.0);
    /* residuals 1 - 2/3*2 = -1/3 and 3 - 2/3*4 = 1/3: se = sqrt((2/9)/2)/3 = 1/9 */
    cr_assert_float_eq(s.probability[1].ci95, 12.706 / 9.0, 1e-12);
    pn_sim_summary_clear(&s);
    memset(r.cells, 0, r.stride * r.batches * sizeof *r.cells);
    cr_assert_eq(pn_sim_summarize(&q, &r, &s, &err), PN_ERR_USAGE);
    cr_assert(strstr(err.msg, "never held exactly 1 guests"), "%s", err.msg);
    pn_sim_result_clear(&r);
}

Test(simulate, policy_names)
{
    static const char *names[] = {"random", "first-fit", "best-fit", "worst-fit", "round-robin"};
    for (unsigned i = 0; i < PN_POLICIES; i++) {
        pn_policy p;
        cr_assert(pn_policy_parse(names[i], &p));
        cr_assert_eq(p, (pn_policy)i);
        cr_assert_str_eq(pn_policy_name(p), names[i]);
    }
    pn_policy p;
    cr_assert(!pn_policy_parse("greedy", &p));
    cr_assert(!pn_policy_parse("First-Fit", &p));
}
