/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_opencl_error.h -- OpenCL status names and the check macro every OpenCL call goes through. */
#ifndef PN_OPENCL_ERROR_H
#define PN_OPENCL_ERROR_H

#include <CL/cl.h>

#include "base/pn_status.h"

/* Checks one OpenCL call (or a comma expression ending in its cl_int status,
 * for calls that report through errcode_ret). On failure it writes
 * "clFoo failed: CL_NAME (-n) at file:line" into err, stores PN_ERR_OPENCL in
 * st and jumps to label, the cleanup that frees what was made so far. */
#define PN_CL_CHECK(call, st, err, label)                                          \
    do {                                                                           \
        cl_int pn_cl_rc_ = (call);                                                 \
        if (pn_cl_rc_ != CL_SUCCESS) {                                             \
            (st) = pn_cl_fail((err), #call, __FILE__, __LINE__, pn_cl_rc_);        \
            goto label;                                                            \
        }                                                                          \
    } while (0)

/* For release calls in cleanup code: checks like PN_CL_CHECK but records the
 * failure only when nothing failed before (the first error is the one kept),
 * and never jumps. */
#define PN_CL_CHECK_CLEANUP(call, st, err)                                         \
    do {                                                                           \
        cl_int pn_cl_rc_ = (call);                                                 \
        if (pn_cl_rc_ != CL_SUCCESS && (st) == PN_OK)                              \
            (st) = pn_cl_fail((err), #call, __FILE__, __LINE__, pn_cl_rc_);        \
    } while (0)

/* The symbolic name of an OpenCL status ("CL_OUT_OF_RESOURCES"), or
 * "CL_UNKNOWN_ERROR" for a value no header of ours names. */
const char *pn_cl_error_name(cl_int code);

/* Writes the message PN_CL_CHECK describes into err and returns
 * PN_ERR_OPENCL. `call` is the call's source text; only the name of the
 * first cl* function in it is kept. */
pn_status pn_cl_fail(pn_error *err, const char *call, const char *file, int line,
                     cl_int code);

#endif
