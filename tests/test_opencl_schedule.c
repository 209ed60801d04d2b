/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_opencl_schedule.c -- chunks on POCL's basic device, which runs kernels inside clFlush: they stop growing, a cancel stops them, two devices share one answer. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "engine/pn_engine.h"
#include "opencl/pn_opencl_device.h"
#include "engine_fixture.h"
#include "progress_fixture.h"
#include "query_fixture.h"

/* Each test runs in its own process, so the POCL_DEVICES each sets before
 * its first OpenCL call chooses the devices POCL offers that process. */
TestSuite(opencl_schedule, .timeout = 120);

/* Runs q through the OpenCL engine on `choice`, reporting to log. */
static pn_status logged_run(const pn_query *q, pn_device_choice choice, progress_log *log,
                            pn_histogram *h, pn_error *err)
{
    pn_run run = {.device = choice, .progress = logged(log)};
    cr_assert_eq(pn_histogram_init(h, q->hosts, err), PN_OK);
    return pn_engine_opencl_run(q, &run, h, err);
}

/* Reports before the cancel in the test below. */
#define REPORTS 10

/* On the basic device alone, 20/4/40 (hours of work) stopped from the
 * progress callback at its REPORTS-th report: the engine stops there by
 * itself, and its chunks stop growing once they are timed truly. Before the
 * fix a chunk's time left out the clFlush that ran it, so every chunk looked
 * instant and grew fourfold per launch, the 10th 4^9 times the first
 * (minutes on this device, and a cancel waited for it): fourfold growth at
 * every step is that defect. Here a chunk grows until it takes a tenth of a
 * second; that takes as many fourfold steps as log4 of the device's speed
 * over the first chunk's (5 at 4e10 scenarios/s), and a busy machine only
 * makes it fewer, so nothing here depends on load. How true the reported
 * rates are, and how long a chunk keeps the next report waiting, are
 * timings: make bench (section 8) measures them. */
Test(opencl_schedule, basic_device_chunks_stop_growing_and_a_cancel_stops_it)
{
    cr_assert_eq(setenv("POCL_DEVICES", "basic", 1), 0);
    progress_log log = {.cancel_after = REPORTS};
    pn_query q = query(20, 4, 40, PN_MODEL_UNIFORM);
    pn_histogram h = {0};
    pn_error err = {{0}};
    pn_status st = logged_run(&q, (pn_device_choice){0}, &log, &h, &err);
    cr_assert_eq(st, PN_ERR_INTERRUPTED, "%s: %s", pn_status_name(st), err.msg);
    cr_assert(strstr(err.msg, "interrupted after "), "%s", err.msg);
    cr_assert_eq(log.calls, REPORTS, "the cancel was not obeyed at once");
    cr_assert_eq(log.last.devices, 1);
    cr_assert_eq(log.last.device_done[0], log.last.done);
    cr_assert_gt(log.last.device_rate[0], 0);
    uint64_t chunk[REPORTS];
    unsigned fourfold = 0;
    for (unsigned i = 0; i < REPORTS; i++) {
        chunk[i] = log.done_at[i] - (i ? log.done_at[i - 1] : 0);
        fourfold += i > 0 && chunk[i] >= 4 * chunk[i - 1];
    }
    cr_log_info("chunks of %llu to %llu scenarios, %u of %u steps fourfold",
                (unsigned long long)chunk[0], (unsigned long long)chunk[REPORTS - 1], fourfold,
                REPORTS - 1);
    cr_assert_lt(fourfold, REPORTS - 1, "every chunk grew fourfold: %llu scenarios, then %llu",
                 (unsigned long long)chunk[0], (unsigned long long)chunk[REPORTS - 1]);
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
    progress_log log = {0};
    pn_query q = query(14, 4, 28, PN_MODEL_UNIFORM);
    pn_histogram h = {0}, exact = {0};
    pn_error err = {{0}};
    pn_status st = logged_run(&q, all, &log, &h, &err);
    cr_assert_eq(st, PN_OK, "%s: %s", pn_status_name(st), err.msg);
    engine_ok(pn_engine_exact_run, &q, &exact);
    cr_assert(pn_histogram_equal(&h, &exact), "opencl on two devices != exact");
    cr_assert_eq(log.last.devices, 2);
    cr_assert_eq(log.last.done, q.keyspace);
    cr_assert_eq(log.last.device_done[0] + log.last.device_done[1], log.last.done);
    /* How the work splits depends on how busy the machine is, so no test
     * asserts it: make bench (section 8) measures the split side by side. */
    cr_log_info("the basic device did %.1f%% of the work",
                100.0 * (double)log.last.device_done[basic] / (double)log.last.done);
    pn_histogram_clear(&h);
    pn_histogram_clear(&exact);
}
