/* test_opencl_schedule.c -- chunk timing on POCL's basic device, which runs kernels inside clFlush: true rates, short chunks, a fair split. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "base/pn_duration.h"
#include "engine/pn_engine.h"
#include "opencl/pn_opencl_device.h"
#include "query_fixture.h"

/* Each test runs in its own process, so the POCL_DEVICES each sets before
 * its first OpenCL call chooses the devices POCL offers that process. */
TestSuite(opencl_schedule, .timeout = 120);

/* What the progress callback saw: the first and the latest report, when
 * they came, and the longest wait between two reports. */
typedef struct progress_trace {
    unsigned calls;
    double first_at, last_at, longest_gap;
    pn_progress_report first, last;
    double stop_after;            /* seconds after the first report; 0: never */
    volatile sig_atomic_t cancel;
} progress_trace;

static void trace_progress(void *ctx, const pn_progress_report *r)
{
    progress_trace *t = ctx;
    double now = pn_now_seconds();
    if (t->calls++ == 0) {
        t->first_at = now;
        t->first = *r;
    } else if (now - t->last_at > t->longest_gap) {
        t->longest_gap = now - t->last_at;
    }
    t->last_at = now;
    t->last = *r;
    if (t->stop_after > 0 && now - t->first_at > t->stop_after)
        t->cancel = 1;
}

/* Runs q through the OpenCL engine on `choice` with t as its progress. */
static pn_status traced_run(const pn_query *q, pn_device_choice choice, progress_trace *t,
                            pn_histogram *h, pn_error *err)
{
    pn_run run = {.device = choice,
                  .progress = {.update = trace_progress, .ctx = t, .cancel = &t->cancel}};
    cr_assert_eq(pn_histogram_init(h, q->hosts, err), PN_OK);
    return pn_engine_opencl_run(q, &run, h, err);
}

/* On the basic device alone, for about two seconds of 20/4/40: the rate
 * the device is reported to run at, and the run's own rate, are what it
 * did between the first and the last report (within 2x; before the fix
 * the device's read about 10^5 times too high), and no chunk keeps the
 * next report (and so a cancel) waiting half a second. */
Test(opencl_schedule, basic_device_rates_are_true_and_chunks_short)
{
    cr_assert_eq(setenv("POCL_DEVICES", "basic", 1), 0);
    progress_trace t = {.stop_after = 2.0};
    pn_query q = resolved((pn_query){.hosts = 20, .per_host = 4, .guests = 40});
    pn_histogram h = {0};
    pn_error err = {{0}};
    pn_status st = traced_run(&q, (pn_device_choice){0}, &t, &h, &err);
    cr_assert_eq(st, PN_ERR_INTERRUPTED, "%s: %s", pn_status_name(st), err.msg);
    cr_assert_gt(t.calls, 3, "only %u progress reports", t.calls);
    cr_assert_eq(t.last.devices, 1);
    double seconds = t.last_at - t.first_at;
    double true_rate = (double)(t.last.done - t.first.done) / seconds;
    cr_assert(t.last.device_rate[0] < 2 * true_rate && t.last.device_rate[0] > true_rate / 2,
              "device rate %.3g/s, but it did %.3g/s over %.2f s", t.last.device_rate[0],
              true_rate, seconds);
    cr_assert(t.last.rate < 2 * true_rate && t.last.rate > true_rate / 2,
              "run rate %.3g/s, but it did %.3g/s over %.2f s", t.last.rate, true_rate, seconds);
    cr_assert_lt(t.longest_gap, 0.5, "a chunk held the next report %.2f s", t.longest_gap);
    pn_histogram_clear(&h);
}

/* The index of the first selected device whose name holds `part`. */
static unsigned device_named(const pn_device_choice *choice, const char *part)
{
    pn_cl_selection sel;
    pn_error err = {{0}};
    cr_assert_eq(pn_cl_select_devices(choice, &sel, &err), PN_OK, "%s", err.msg);
    for (unsigned d = 0; d < sel.count; d++)
        if (strstr(sel.device_names[d], part))
            return d;
    cr_assert_fail("no device named *%s*", part);
    return 0;
}

/* POCL's pthread and basic devices together (--device all): the answer is
 * the exact engine's and the two devices' shares add up to the keyspace. */
Test(opencl_schedule, basic_and_pthread_together_give_the_exact_answer)
{
    cr_assert_eq(setenv("POCL_DEVICES", "pthread basic", 1), 0);
    pn_device_choice all = {.all = true};
    unsigned basic = device_named(&all, "basic");
    progress_trace t = {0};
    pn_query q = resolved((pn_query){.hosts = 14, .per_host = 4, .guests = 28});
    pn_histogram h = {0}, exact = {0};
    pn_error err = {{0}};
    pn_status st = traced_run(&q, all, &t, &h, &err);
    cr_assert_eq(st, PN_OK, "%s: %s", pn_status_name(st), err.msg);
    pn_run run = {0};
    cr_assert_eq(pn_histogram_init(&exact, q.hosts, &err), PN_OK);
    cr_assert_eq(pn_engine_exact_run(&q, &run, &exact, &err), PN_OK, "%s", err.msg);
    cr_assert(pn_histogram_equal(&h, &exact), "opencl on two devices != exact");
    cr_assert_eq(t.last.devices, 2);
    cr_assert_eq(t.last.done, q.keyspace);
    cr_assert_eq(t.last.device_done[0] + t.last.device_done[1], t.last.done);
    /* How the work splits depends on how busy the machine is, so no test
     * asserts it: make bench (section 8) measures the split side by side. */
    cr_log_info("the basic device did %.1f%% of the work",
                100.0 * (double)t.last.device_done[basic] / (double)t.last.done);
    pn_histogram_clear(&h);
    pn_histogram_clear(&exact);
}
