/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_engine_opencl.c -- the OpenCL engine against the seed's figures, the cpu engine, and itself on slices. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/pn_engine.h"
#include "engine/pn_engine_opencl.h"
#include "engine/pn_exact_range.h"
#include "opencl/pn_opencl_build.h"
#include "opencl/pn_opencl_device.h"
#include "opencl/pn_opencl_error.h"
#include "opencl/pn_opencl_session.h"
#include "engine_fixture.h"
#include "opencl_fixture.h"
#include "progress_fixture.h"
#include "query_fixture.h"
#include "random_fixture.h"

/* The exhaustive sweep: every (h, p, g) with (p+1)^h <= 10^6 and h <= 20,
 * except that h = 1 and h = 2 stop at these p (all of them would be 5*10^11
 * queries); sweep_big_p samples the larger p of those. */
#define SWEEP_MAX_P_H1 200
#define SWEEP_MAX_P_H2 150
#define SWEEP_MAX_KEYSPACE 1000000ULL
#define SWEEP_MAX_HOSTS 20

/* A slice of the whole keyspace of h/p/g, resolved. */
static pn_query slice(uint64_t h, uint64_t p, uint64_t g, pn_model model, uint64_t skip,
                      uint64_t limit)
{
    return sliced(query(h, p, g, model), skip, limit);
}

static const char *describe(const pn_query *q, char *buf, size_t len)
{
    snprintf(buf, len, "%llu/%llu/%llu %s skip %llu limit %llu",
             (unsigned long long)q->hosts, (unsigned long long)q->per_host,
             (unsigned long long)q->guests, pn_model_name(q->model),
             q->sliced ? (unsigned long long)q->skip : 0ULL,
             q->sliced ? (unsigned long long)q->limit : 0ULL);
    return buf;
}

/* Runs the OpenCL session s into a fresh histogram; returns its status. */
static pn_status cl_into(pn_opencl_session *s, const pn_query *q, pn_histogram *hist,
                         pn_error *err)
{
    pn_run run = {0};
    cr_assert_eq(pn_histogram_init(hist, q->hosts, err), PN_OK);
    pn_status st = pn_engine_opencl_session_run(s, q, &run, hist, err);
    if (st == PN_OK)
        cr_assert(strncmp(run.engine_used, "opencl (", 8) == 0, "engine_used %s",
                  run.engine_used);
    return st;
}

/* The OpenCL session and the cpu engine agree on q (both refusing it, with
 * the same status, counts as agreeing). */
static void check_same(pn_opencl_session *s, const pn_query *q)
{
    char what[160];
    pn_histogram a = {0}, b = {0};
    pn_error ea = {{0}}, eb = {{0}};
    pn_run run_cpu;
    pn_status sa = cl_into(s, q, &a, &ea);
    pn_status sb = engine_into(pn_engine_cpu_run, q, &run_cpu, &b, &eb);
    cr_assert_eq(sa, sb, "%s: opencl %s (%s), cpu %s (%s)", describe(q, what, sizeof what),
                 pn_status_name(sa), ea.msg, pn_status_name(sb), eb.msg);
    if (sa == PN_OK)
        cr_assert(pn_histogram_equal(&a, &b), "%s: opencl and cpu histograms differ",
                  describe(q, what, sizeof what));
    pn_histogram_clear(&a);
    pn_histogram_clear(&b);
}

/* The OpenCL session and the exact range count agree on the slice q, or
 * both refuse it with the same status. */
static void check_range(pn_opencl_session *s, const pn_query *q)
{
    char what[160];
    pn_histogram a = {0}, b = {0};
    pn_error ea = {{0}}, eb = {{0}};
    pn_status sa = cl_into(s, q, &a, &ea);
    cr_assert_eq(pn_histogram_init(&b, q->hosts, &eb), PN_OK);
    uint64_t first = 0, count = 0;
    pn_status sb = pn_query_enumeration_range(q, &first, &count, &eb);
    if (sb == PN_OK)
        sb = pn_exact_range_count(q, first, count, &b, &eb);
    cr_assert_eq(sa, sb, "%s: opencl %s (%s), exact range %s (%s)",
                 describe(q, what, sizeof what), pn_status_name(sa), ea.msg,
                 pn_status_name(sb), eb.msg);
    if (sa == PN_OK)
        cr_assert(pn_histogram_equal(&a, &b), "%s: opencl and exact range counts differ",
                  describe(q, what, sizeof what));
    pn_histogram_clear(&a);
    pn_histogram_clear(&b);
}

/* Runs q through the public engine entry point and insists it succeeds on OpenCL. */
static void opencl_ok(const pn_query *q, pn_histogram *hist)
{
    pn_run run;
    pn_error err = {{0}};
    pn_status st = engine_into(pn_engine_opencl_run, q, &run, hist, &err);
    cr_assert_eq(st, PN_OK, "%s: %s", pn_status_name(st), err.msg);
    cr_assert(strstr(run.engine_used, "opencl (") == run.engine_used, "%s", run.engine_used);
}

/* The post's worked example: its 16 listed scenarios give [0, 4, 12, 0, 0]. */
Test(engine_opencl, seed_4_2_3)
{
    pn_query q = query(4, 2, 3, PN_MODEL_UNIFORM);
    pn_histogram h = {0};
    opencl_ok(&q, &h);
    assert_post_4_2_3(&h);
    pn_histogram_clear(&h);
}

/* The post's own cloud: 26.3%, 63.2% and 10.5% for 4, 5 and 6 napping hosts. */
Test(engine_opencl, seed_8_2_4)
{
    pn_query q = query(8, 2, 4, PN_MODEL_UNIFORM);
    pn_histogram h = {0}, c = {0};
    opencl_ok(&q, &h);
    engine_ok(pn_engine_cpu_run, &q, &c);
    cr_assert(pn_histogram_equal(&h, &c));
    assert_post_8_2_4(&h);
    pn_histogram_clear(&h);
    pn_histogram_clear(&c);
}

/* The post's headline question: 10 hosts of 4, 20 guests, 19.0% expected. */
Test(engine_opencl, seed_10_4_20)
{
    pn_query q = query(10, 4, 20, PN_MODEL_UNIFORM);
    pn_histogram h = {0}, c = {0};
    opencl_ok(&q, &h);
    engine_ok(pn_engine_cpu_run, &q, &c);
    cr_assert(pn_histogram_equal(&h, &c));
    assert_post_10_4_20(&h);
    pn_histogram_clear(&h);
    pn_histogram_clear(&c);
}

/* Every (h, p, g) of the sweep (see SWEEP_*) with hosts in [h_lo, h_hi],
 * all g in 0..hp, in one model. */
static void sweep(pn_model model, uint64_t h_lo, uint64_t h_hi)
{
    pn_opencl_session *s = open_session();
    for (uint64_t h = h_lo; h <= h_hi; h++)
        for (uint64_t p = 0;; p++) {
            uint64_t k = keyspace_of(h, p);
            if (k == 0 || k > SWEEP_MAX_KEYSPACE || (h == 1 && p > SWEEP_MAX_P_H1) ||
                (h == 2 && p > SWEEP_MAX_P_H2))
                break;
            for (uint64_t g = 0; g <= h * p; g++) {
                pn_query q = query(h, p, g, model);
                check_same(s, &q);
            }
        }
    pn_opencl_session_close(s);
}

Test(engine_opencl, sweep_uniform_h1_2, .timeout = 600) { sweep(PN_MODEL_UNIFORM, 1, 2); }
Test(engine_opencl, sweep_uniform_h3, .timeout = 600) { sweep(PN_MODEL_UNIFORM, 3, 3); }
Test(engine_opencl, sweep_uniform_h4_20, .timeout = 600) { sweep(PN_MODEL_UNIFORM, 4, SWEEP_MAX_HOSTS); }
Test(engine_opencl, sweep_slots_h1_2, .timeout = 600) { sweep(PN_MODEL_SLOTS, 1, 2); }
Test(engine_opencl, sweep_slots_h3, .timeout = 600) { sweep(PN_MODEL_SLOTS, 3, 3); }
Test(engine_opencl, sweep_slots_h4_20, .timeout = 600) { sweep(PN_MODEL_SLOTS, 4, SWEEP_MAX_HOSTS); }

/* h = 1..3 allow p far beyond what the sweep covers; these g sample the edges and the
 * middle of each keyspace (and p = 0 with very many hosts, keyspace 1). The
 * slots model only up to p = 1000: the cpu engine builds its binomial row by
 * Pascal's rule, O(p^2). */
Test(engine_opencl, sweep_big_p, .timeout = 600)
{
    static const uint64_t cases[][2] = {{1, 999999}, {1, 65535}, {1, 1000}, {2, 999}, {2, 500}};
    pn_opencl_session *s = open_session();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint64_t h = cases[i][0], p = cases[i][1];
        uint64_t gs[] = {0, 1, p / 2, p, h * p / 2, h * p - 1, h * p};
        for (size_t j = 0; j < sizeof gs / sizeof gs[0]; j++)
            for (int m = 0; m < (p <= 1000 ? 2 : 1); m++) {
                pn_query q = query(h, p, gs[j], m ? PN_MODEL_SLOTS : PN_MODEL_UNIFORM);
                check_same(s, &q);
            }
    }
    for (int m = 0; m < 2; m++) {
        pn_query q = query(100000, 0, 0, m ? PN_MODEL_SLOTS : PN_MODEL_UNIFORM);
        check_same(s, &q);
    }
    pn_opencl_session_close(s);
}

/* Random slices of mid-sized keyspaces, both models: opencl == cpu. */
Test(engine_opencl, random_slices, .timeout = 600)
{
    static const uint64_t shapes[][2] = {{12, 3}, {9, 6}, {17, 1}, {6, 12}, {3, 90}, {10, 4}};
    uint64_t rng = 0x9e3779b97f4a7c15ULL;
    pn_opencl_session *s = open_session();
    for (int round = 0; round < 60; round++) {
        uint64_t h = shapes[round % 6][0], p = shapes[round % 6][1];
        uint64_t k = keyspace_of(h, p);
        uint64_t skip = next_random(&rng) % k;
        uint64_t limit = next_random(&rng) % (k - skip + 1);
        if (round % 3 == 0)
            limit %= 5000; /* short slices, often inside one prefix */
        uint64_t g = next_random(&rng) % (h * p + 1);
        pn_query q = slice(h, p, g, round % 2 ? PN_MODEL_SLOTS : PN_MODEL_UNIFORM, skip, limit);
        check_same(s, &q);
    }
    pn_opencl_session_close(s);
}

/* Slices at the far end of keyspaces close to 2^64: 64-bit indices decode right. */
Test(engine_opencl, slices_near_2_64)
{
    static const uint64_t shapes[][3] = {{63, 1, 31}, {40, 2, 40}, {27, 4, 54}, {17, 12, 60}};
    pn_opencl_session *s = open_session();
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        uint64_t h = shapes[i][0], p = shapes[i][1], g = shapes[i][2];
        uint64_t k = keyspace_of(h, p);
        cr_assert(k > (1ULL << 62));
        pn_query q = slice(h, p, g, PN_MODEL_UNIFORM, k - 3000000, 3000000);
        check_same(s, &q);
        q = slice(h, p, g, PN_MODEL_UNIFORM, k / 3, 2000000);
        check_same(s, &q);
    }
    pn_opencl_session_close(s);
}

/* Cutting a keyspace into random pieces: the pieces' histograms add up to
 * the whole one, and the whole one equals the cpu engine's. */
Test(engine_opencl, pieces_add_up)
{
    uint64_t rng = 12345;
    pn_opencl_session *s = open_session();
    for (int m = 0; m < 2; m++) {
        pn_model model = m ? PN_MODEL_SLOTS : PN_MODEL_UNIFORM;
        pn_query whole = query(11, 4, 21, model);
        uint64_t k = keyspace_of(11, 4);
        pn_histogram sum = {0}, all = {0};
        pn_error err = {{0}};
        cr_assert_eq(pn_histogram_init(&sum, 11, &err), PN_OK);
        for (uint64_t at = 0; at < k;) {
            uint64_t len = 1 + next_random(&rng) % (k / 5);
            len = len < k - at ? len : k - at;
            pn_query q = slice(11, 4, 21, model, at, len);
            pn_histogram piece = {0};
            cr_assert_eq(cl_into(s, &q, &piece, &err), PN_OK, "%s", err.msg);
            pn_histogram_add(&sum, &piece);
            pn_histogram_clear(&piece);
            at += len;
        }
        cr_assert_eq(cl_into(s, &whole, &all, &err), PN_OK, "%s", err.msg);
        cr_assert(pn_histogram_equal(&sum, &all));
        pn_histogram_clear(&sum);
        pn_histogram_clear(&all);
        check_same(s, &whole);
    }
    pn_opencl_session_close(s);
}

/* The table's entry type changes at L*p = 255 (uchar to ushort) and 65535
 * (ushort to uint); L is 1 for these p. Sampled guests around p, 2p and
 * 255, both models (slots refuses what its 64-bit weights cannot hold, and
 * so does the cpu engine), and slices at 65534 and 65535, and at 300000
 * (whose slots weights outgrow constant memory), against the exact range
 * counts (the cpu engine's O(p^2) binomial row is too slow there). With the
 * kernel's word as the session picks it
 * (32 bytes on a CPU) and as GPUs get it (16). */
static void narrow_boundaries(unsigned word_bytes)
{
    static const uint64_t shapes[][2] = {{3, 254}, {2, 255}, {3, 255}, {2, 256}, {3, 256}};
    pn_opencl_session *s = open_session();
    if (word_bytes)
        pn_opencl_session_set_word_bytes(s, word_bytes);
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        uint64_t h = shapes[i][0], p = shapes[i][1];
        uint64_t gs[] = {0, 1, p - 1, p, p + 1, 254, 255, 256, 2 * p - 1, 2 * p, h * p};
        for (size_t j = 0; j < sizeof gs / sizeof gs[0]; j++)
            for (int m = 0; m < 2; m++) {
                pn_query q = query(h, p, gs[j], m ? PN_MODEL_SLOTS : PN_MODEL_UNIFORM);
                check_same(s, &q);
            }
    }
    static const uint64_t big_p[] = {65534, 65535, 300000};
    for (size_t i = 0; i < sizeof big_p / sizeof big_p[0]; i++) {
        uint64_t p = big_p[i], k = keyspace_of(2, p);
        uint64_t gs[] = {0, 1, 2, p - 1, p, p + 1, 2 * p};
        for (size_t j = 0; j < sizeof gs / sizeof gs[0]; j++)
            for (int m = 0; m < 2; m++) {
                pn_model model = m ? PN_MODEL_SLOTS : PN_MODEL_UNIFORM;
                pn_query q = slice(2, p, gs[j], model, k / 2 - 12345, 5 * (p + 1));
                check_range(s, &q);
                q = slice(2, p, gs[j], model, k - 4 * (p + 1), 4 * (p + 1));
                check_range(s, &q);
            }
    }
    pn_opencl_session_close(s);
}

Test(engine_opencl, narrow_boundaries, .timeout = 600) { narrow_boundaries(0); }
Test(engine_opencl, narrow_boundaries_gpu_word, .timeout = 600) { narrow_boundaries(16); }

/* The kernel's GPU shape (16-byte words: uchar16, ushort8, uint4) on the
 * CPU: a sample of the sweep, random slices and both models. */
Test(engine_opencl, gpu_word_shape, .timeout = 600)
{
    static const uint64_t shapes[][2] = {{12, 3}, {8, 6}, {17, 1}, {6, 12}, {3, 90}, {10, 4},
                                         {4, 60}, {7, 9}};
    uint64_t rng = 0x2545f4914f6cdd1dULL;
    pn_opencl_session *s = open_session();
    pn_opencl_session_set_word_bytes(s, 16);
    for (int round = 0; round < 48; round++) {
        uint64_t h = shapes[round % 8][0], p = shapes[round % 8][1];
        uint64_t k = keyspace_of(h, p);
        uint64_t g = next_random(&rng) % (h * p + 1);
        pn_model model = round / 8 % 2 ? PN_MODEL_SLOTS : PN_MODEL_UNIFORM;
        pn_query q = round / 16 % 2 ? query(h, p, g, model)
                                   : slice(h, p, g, model, next_random(&rng) % (k / 2), k / 3);
        check_same(s, &q);
    }
    pn_opencl_session_close(s);
}

/* Each build shape (model, table entry type, word) runs the self-test once,
 * before its first query: here uchar and ushort tables, uniform then slots. */
Test(engine_opencl, selftest_per_build)
{
    pn_opencl_session *s = open_session();
    pn_opencl_timing t;
    pn_query uchar_q = query(10, 4, 20, PN_MODEL_UNIFORM);
    pn_query ushort_q = query(2, 300, 300, PN_MODEL_UNIFORM);
    pn_query slots_q = query(10, 4, 20, PN_MODEL_SLOTS);
    check_same(s, &uchar_q);
    pn_opencl_session_timing(s, &t);
    cr_assert_eq(t.selftests, 1);
    check_same(s, &uchar_q);
    check_same(s, &ushort_q);
    pn_opencl_session_timing(s, &t);
    cr_assert_eq(t.selftests, 2);
    check_same(s, &ushort_q);
    check_same(s, &slots_q);
    pn_opencl_session_timing(s, &t);
    cr_assert_eq(t.selftests, 3);
    cr_assert_eq(t.builds, 3, "one build per shape, the self-test's included");
    cr_assert_gt(t.open, 0);
    cr_assert_gt(t.run, 0);
    pn_opencl_session_close(s);
}

/* Progress: done never shrinks, total is the slice, and a cancel set from
 * the callback stops the run with PN_ERR_INTERRUPTED at once. */
Test(engine_opencl, progress_and_cancel, .timeout = 120)
{
    progress_log log = {.cancel_after = 3};
    pn_query q = query(20, 4, 40, PN_MODEL_UNIFORM); /* 9.5e13: hours if not stopped */
    pn_run run = {.progress = logged(&log)};
    pn_histogram h = {0};
    pn_error err = {{0}};
    cr_assert_eq(pn_histogram_init(&h, 20, &err), PN_OK);
    pn_status st = pn_engine_opencl_run(&q, &run, &h, &err);
    cr_assert_eq(st, PN_ERR_INTERRUPTED, "%s: %s", pn_status_name(st), err.msg);
    cr_assert(strstr(err.msg, "interrupted after "), "%s", err.msg);
    cr_assert(strstr(err.msg, "of 95367431640625 scenarios"), "%s", err.msg);
    cr_assert_eq(log.calls, 3);
    cr_assert_eq(log.last.total, keyspace_of(20, 4));
    cr_assert_eq(log.last.devices, 1);
    pn_histogram_clear(&h);
}

Test(engine_opencl, estimated_rate)
{
    pn_query q = query(4, 2, 3, PN_MODEL_UNIFORM);
    pn_run run = {0};
    pn_estimate est = {0};
    pn_error err = {{0}};
    cr_assert_eq(pn_engine_estimate(PN_ENGINE_OPENCL, &q, &run, &est, &err), PN_OK);
    cr_assert_gt(est.scenarios_per_second, 1e6);
    cr_assert_gt(strlen(est.device), 0);
}

/* The estimate follows the build a query runs on: a uchar table's uniform
 * build is the fastest, slots and wider tables slower; no query, the fastest. */
Test(engine_opencl, estimated_rate_follows_the_build)
{
    pn_run run = {0};
    pn_error err = {{0}};
    pn_query uchar_q = query(14, 4, 28, PN_MODEL_UNIFORM);
    pn_query slots_q = query(14, 4, 28, PN_MODEL_SLOTS);
    pn_query ushort_q = query(4, 300, 600, PN_MODEL_UNIFORM);
    pn_estimate a = {0}, b = {0}, c = {0}, none = {0};
    cr_assert_eq(pn_engine_opencl_estimate(&uchar_q, &run, &a, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(pn_engine_opencl_estimate(&slots_q, &run, &b, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(pn_engine_opencl_estimate(&ushort_q, &run, &c, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(pn_engine_opencl_estimate(NULL, &run, &none, &err), PN_OK, "%s", err.msg);
    cr_assert_gt(a.scenarios_per_second, b.scenarios_per_second);
    cr_assert_gt(a.scenarios_per_second, c.scenarios_per_second);
    cr_assert_eq(none.scenarios_per_second, a.scenarios_per_second);
}
