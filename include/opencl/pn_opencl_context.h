/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_opencl_context.h -- one OpenCL context on the chosen devices with a queue each: the opener the enumeration session and the simulation share. */
#ifndef PN_OPENCL_CONTEXT_H
#define PN_OPENCL_CONTEXT_H

#include <CL/cl.h>

#include "opencl/pn_opencl_device.h"
#include "base/pn_device_choice.h"
#include "base/pn_status.h"

/* The devices of a run, the context on them, and one in-order queue per
 * device (queue[d] for sel.devices[d]). */
typedef struct pn_cl_context {
    pn_cl_selection sel;
    cl_context context;
    cl_command_queue queue[PN_CL_MAX_DEVICES];
} pn_cl_context;

/* Selects the devices `choice` names (pn_cl_select_devices), refuses any
 * device without cl_khr_int64_base_atomics, which every kernel of ours
 * counts with (PN_ERR_OPENCL naming the device and `kernel`, the kernel
 * that needs them, as "the simulation kernel"), then makes a context on the
 * devices and a queue with `properties` (CL_QUEUE_PROFILING_ENABLE to time
 * work on the device's clock) on each. On failure *c holds nothing to
 * release. */
pn_status pn_cl_context_open(pn_cl_context *c, const pn_device_choice *choice,
                             cl_command_queue_properties properties, const char *kernel,
                             pn_error *err);

/* Releases the queues and the context, what of them exists, and zeroes *c;
 * a failure is recorded in *st only when *st is still PN_OK (the first
 * error is kept). Safe on a zeroed context. */
void pn_cl_context_close(pn_cl_context *c, pn_status *st, pn_error *err);

#endif
