/* SPDX-License-Identifier: GPL-3.0-or-later */
/* opencl_fixture.h -- an OpenCL session on the default device, for tests that run many queries on one. */
#ifndef PN_TEST_OPENCL_FIXTURE_H
#define PN_TEST_OPENCL_FIXTURE_H

#include <criterion/criterion.h>

#include "opencl/pn_opencl_session.h"

/* A session on the default device. The test fails when none can be opened. */
static inline pn_opencl_session *open_session(void)
{
    pn_device_choice choice = {0};
    pn_opencl_session *s = NULL;
    pn_error err = {{0}};
    pn_status st = pn_opencl_session_open(&choice, &s, &err);
    cr_assert_eq(st, PN_OK, "session: %s: %s", pn_status_name(st), err.msg);
    return s;
}

#endif
