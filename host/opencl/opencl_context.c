/* SPDX-License-Identifier: GPL-3.0-or-later */
/* opencl_context.c -- the one opener of OpenCL contexts: devices chosen, 64-bit atomics checked, a context and a queue per device. */
#include "opencl/pn_opencl_context.h"
#include "opencl/pn_opencl_error.h"

#include <string.h>

/* Refuses the first device of the selection that lacks 64-bit atomics. */
static pn_status check_atomics(const pn_cl_selection *sel, const char *kernel, pn_error *err)
{
    for (cl_uint d = 0; d < sel->count; d++) {
        bool atomics = false;
        pn_status st = pn_cl_device_has_extension(sel->devices[d], "cl_khr_int64_base_atomics",
                                                  &atomics, err);
        if (st != PN_OK)
            return st;
        if (!atomics)
            return pn_fail(err, PN_ERR_OPENCL, "OpenCL device %s lacks cl_khr_int64_base_atomics, "
                           "which %s needs for 64-bit counts; choose another --device or use "
                           "--engine cpu", sel->device_names[d], kernel);
    }
    return PN_OK;
}

pn_status pn_cl_context_open(pn_cl_context *c, const pn_device_choice *choice,
                             cl_command_queue_properties properties, const char *kernel,
                             pn_error *err)
{
    cl_int rc = CL_SUCCESS;
    memset(c, 0, sizeof *c);
    pn_status st = pn_cl_select_devices(choice, &c->sel, err);
    if (st == PN_OK)
        st = check_atomics(&c->sel, kernel, err);
    if (st != PN_OK)
        return st;
    cl_context_properties props[] = {CL_CONTEXT_PLATFORM, (cl_context_properties)c->sel.platform,
                                     0};
    c->context = clCreateContext(props, c->sel.count, c->sel.devices, NULL, NULL, &rc);
    PN_CL_CHECK(rc, st, err, close_context);
    for (cl_uint d = 0; d < c->sel.count; d++) {
        c->queue[d] = clCreateCommandQueue(c->context, c->sel.devices[d], properties, &rc);
        PN_CL_CHECK(rc, st, err, close_context);
    }
    return PN_OK;
close_context:
    pn_cl_context_close(c, &st, err);
    return st;
}

void pn_cl_context_close(pn_cl_context *c, pn_status *st, pn_error *err)
{
    for (cl_uint d = 0; d < c->sel.count; d++)
        if (c->queue[d])
            PN_CL_CHECK_CLEANUP(clReleaseCommandQueue(c->queue[d]), *st, err);
    if (c->context)
        PN_CL_CHECK_CLEANUP(clReleaseContext(c->context), *st, err);
    memset(c, 0, sizeof *c);
}
