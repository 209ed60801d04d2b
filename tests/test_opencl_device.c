/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_opencl_device.c -- choosing OpenCL devices: bad platform and device indices named, every device of a platform, the clinfo-style tree, the one context opener. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/pn_engine.h"
#include "opencl/pn_opencl_context.h"
#include "opencl/pn_opencl_device.h"
#include "engine_fixture.h"
#include "query_fixture.h"

/* How many platforms and devices of platform 0 there are, asked directly. */
static void count_devices(cl_uint *platforms, cl_uint *devices)
{
    cl_platform_id plat[16];
    cr_assert_eq(clGetPlatformIDs(16, plat, platforms), CL_SUCCESS);
    cr_assert_eq(clGetDeviceIDs(plat[0], CL_DEVICE_TYPE_ALL, 0, NULL, devices), CL_SUCCESS);
}

Test(opencl_device, bad_platform_index)
{
    cl_uint np, nd;
    count_devices(&np, &nd);
    pn_device_choice choice = {.chosen = true, .platform = np, .device = 0};
    pn_cl_selection sel;
    pn_error err = {{0}};
    cr_assert_eq(pn_cl_select_devices(&choice, &sel, &err), PN_ERR_USAGE);
    char want[64];
    snprintf(want, sizeof want, "platform #%u", np);
    cr_assert(strstr(err.msg, want), "%s", err.msg);
    pn_query q = query(4, 2, 3, PN_MODEL_UNIFORM);
    pn_run run = {.device = choice};
    pn_histogram h = {0};
    cr_assert_eq(pn_histogram_init(&h, 4, &err), PN_OK);
    cr_assert_eq(pn_engine_opencl_run(&q, &run, &h, &err), PN_ERR_USAGE);
    pn_histogram_clear(&h);
}

Test(opencl_device, bad_device_index)
{
    cl_uint np, nd;
    count_devices(&np, &nd);
    pn_device_choice choice = {.chosen = true, .platform = 0, .device = nd};
    pn_cl_selection sel;
    pn_error err = {{0}};
    cr_assert_eq(pn_cl_select_devices(&choice, &sel, &err), PN_ERR_USAGE);
    char want[64];
    snprintf(want, sizeof want, "no device #%u (it has %u device", nd, nd);
    cr_assert(strstr(err.msg, want), "%s", err.msg);
}

Test(opencl_device, all_devices_of_platform_0)
{
    cl_uint np, nd;
    count_devices(&np, &nd);
    pn_device_choice choice = {.all = true};
    pn_cl_selection sel;
    pn_error err = {{0}};
    cr_assert_eq(pn_cl_select_devices(&choice, &sel, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(sel.count, nd < PN_CL_MAX_DEVICES ? nd : PN_CL_MAX_DEVICES);
    pn_query q = query(10, 4, 20, PN_MODEL_SLOTS);
    pn_run run = {.device = choice};
    pn_histogram h = {0}, c = {0};
    cr_assert_eq(pn_histogram_init(&h, 10, &err), PN_OK);
    cr_assert_eq(pn_engine_opencl_run(&q, &run, &h, &err), PN_OK, "%s", err.msg);
    engine_ok(pn_engine_cpu_run, &q, &c);
    cr_assert(pn_histogram_equal(&h, &c));
    pn_histogram_clear(&h);
    pn_histogram_clear(&c);
}

Test(opencl_device, list_devices_tree)
{
    char *text = NULL;
    pn_error err = {{0}};
    cr_assert_eq(pn_cl_list_devices(&text, &err), PN_OK, "%s", err.msg);
    cr_assert(strncmp(text, "Platform #0: ", 13) == 0, "%s", text);
    cr_assert(strstr(text, "\n `-- Device #0: "), "%s", text);
    cr_assert(strstr(text, "compute unit"), "%s", text);
    free(text);
}

/* The one context opener: the chosen devices, a context, a queue per device
 * with the properties asked for; closing leaves nothing; a bad index is
 * refused with nothing to release. */
Test(opencl_device, context_opener)
{
    cl_uint np, nd;
    count_devices(&np, &nd);
    pn_device_choice all = {.all = true};
    pn_cl_context c;
    pn_error err = {{0}};
    pn_status st = pn_cl_context_open(&c, &all, CL_QUEUE_PROFILING_ENABLE, "the kernel", &err);
    cr_assert_eq(st, PN_OK, "%s", err.msg);
    cr_assert_eq(c.sel.count, nd < PN_CL_MAX_DEVICES ? nd : PN_CL_MAX_DEVICES);
    cr_assert_not_null(c.context);
    for (cl_uint d = 0; d < c.sel.count; d++) {
        cl_command_queue_properties props = 0;
        cl_context ctx = NULL;
        cr_assert_not_null(c.queue[d]);
        cr_assert_eq(clGetCommandQueueInfo(c.queue[d], CL_QUEUE_PROPERTIES, sizeof props, &props,
                                           NULL), CL_SUCCESS);
        cr_assert(props & CL_QUEUE_PROFILING_ENABLE);
        cr_assert_eq(clGetCommandQueueInfo(c.queue[d], CL_QUEUE_CONTEXT, sizeof ctx, &ctx, NULL),
                     CL_SUCCESS);
        cr_assert_eq(ctx, c.context);
    }
    pn_cl_context_close(&c, &st, &err);
    cr_assert_eq(st, PN_OK, "%s", err.msg);
    cr_assert_null(c.context);
    cr_assert_eq(c.sel.count, 0);
    pn_device_choice bad = {.chosen = true, .platform = 0, .device = nd};
    cr_assert_eq(pn_cl_context_open(&c, &bad, 0, "the kernel", &err), PN_ERR_USAGE);
    cr_assert_null(c.context);
    cr_assert_null(c.queue[0]);
}
