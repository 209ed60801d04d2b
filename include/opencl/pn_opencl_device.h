/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_opencl_device.h -- OpenCL platforms and devices: --device selection, the --list-devices tree, extensions. */
#ifndef PN_OPENCL_DEVICE_H
#define PN_OPENCL_DEVICE_H

#include <stdbool.h>
#include <stddef.h>

#include <CL/cl.h>

#include "base/pn_device_choice.h"
#include "base/pn_progress.h"
#include "base/pn_status.h"

/* Most devices one run drives (one progress slot each). */
#define PN_CL_MAX_DEVICES PN_PROGRESS_MAX_DEVICES

/* The devices a run uses: one platform and 1..PN_CL_MAX_DEVICES of its devices. */
typedef struct pn_cl_selection {
    cl_platform_id platform;
    char platform_name[256];
    cl_uint count;
    cl_device_id devices[PN_CL_MAX_DEVICES];
    char device_names[PN_CL_MAX_DEVICES][256];
} pn_cl_selection;

/* Resolves --device. Not chosen: the first GPU of any platform, else the first
 * device of any type. P:D: device D of platform P (0-based, clinfo -l order).
 * all: every device of platform P (platform 0 unless P was chosen).
 * PN_ERR_USAGE names a bad index and how many exist; PN_ERR_OPENCL when no
 * platform or no device exists or a query fails. */
pn_status pn_cl_select_devices(const pn_device_choice *choice, pn_cl_selection *sel,
                               pn_error *err);

/* Builds a malloc'd clinfo-like tree for --list-devices:
 *   Platform #0: NAME
 *    `-- Device #0: NAME (CPU, 2 compute units)
 * The caller frees *text_out. PN_ERR_OPENCL when there is no platform. */
pn_status pn_cl_list_devices(char **text_out, pn_error *err);

/* Writes "opencl (DEV on PLATFORM)", the devices joined by " + ", into out
 * (truncated to len), the label reports and JSON give the engine. */
void pn_cl_selection_describe(const pn_cl_selection *sel, char *out, size_t len);

/* True when the device's extension string lists `extension`. */
pn_status pn_cl_device_has_extension(cl_device_id device, const char *extension,
                                     bool *has, pn_error *err);

#endif
