/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_opencl_build.c -- building an OpenCL program: a failed build names its options and carries the compiler's log. */
#include <criterion/criterion.h>
#include <string.h>

#include "opencl/pn_opencl_build.h"
#include "opencl/pn_opencl_device.h"

/* A program that does not compile: the message carries options and log. */
Test(opencl_build, build_failure_reports_log)
{
    pn_device_choice choice = {0};
    pn_cl_selection sel;
    pn_error err = {{0}};
    cl_int rc;
    cr_assert_eq(pn_cl_select_devices(&choice, &sel, &err), PN_OK);
    cl_context_properties props[] = {CL_CONTEXT_PLATFORM, (cl_context_properties)sel.platform,
                                     0};
    cl_context ctx = clCreateContext(props, 1, sel.devices, NULL, NULL, &rc);
    cr_assert_eq(rc, CL_SUCCESS);
    cl_program prog = NULL;
    pn_status st = pn_cl_build_program(ctx, 1, sel.devices,
                                       "__kernel void k(void) { this_is_not_c; }",
                                       "-D SOMETHING=42", &prog, &err);
    cr_assert_eq(st, PN_ERR_OPENCL);
    cr_assert(strstr(err.msg, "-D SOMETHING=42"), "%s", err.msg);
    cr_assert(strstr(err.msg, "this_is_not_c"), "%s", err.msg);
    clReleaseContext(ctx);
}
