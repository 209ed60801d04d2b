/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_opencl_error.c -- OpenCL error codes by name, and the one-line message a failed call leaves. */
#include <criterion/criterion.h>
#include <string.h>

#include "opencl/pn_opencl_error.h"

Test(opencl_error, error_names)
{
    cr_assert_str_eq(pn_cl_error_name(CL_OUT_OF_RESOURCES), "CL_OUT_OF_RESOURCES");
    cr_assert_str_eq(pn_cl_error_name(-1001), "CL_PLATFORM_NOT_FOUND_KHR");
    cr_assert_str_eq(pn_cl_error_name(-11), "CL_BUILD_PROGRAM_FAILURE");
    cr_assert_str_eq(pn_cl_error_name(-12345), "CL_UNKNOWN_ERROR");
    pn_error err = {{0}};
    cr_assert_eq(pn_cl_fail(&err, "clFinish(queue)", "x.c", 7, CL_INVALID_COMMAND_QUEUE),
                 PN_ERR_OPENCL);
    cr_assert(strstr(err.msg, "clFinish failed: CL_INVALID_COMMAND_QUEUE (-36) at x.c:7"),
              "%s", err.msg);
}
