/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_opencl_build.h -- building an OpenCL program, from the binary cache or from source with its log. */
#ifndef PN_OPENCL_BUILD_H
#define PN_OPENCL_BUILD_H

#include <CL/cl.h>

#include "base/pn_status.h"

/* Creates and builds a program for the given devices. A failed build returns
 * PN_ERR_OPENCL with the options and (the start and end of) the build log in
 * the message; nothing is left to release then.
 *
 * Built binaries are cached per device under $XDG_CACHE_HOME/powernap_calculator
 * (else $HOME/.cache/powernap_calculator), keyed by platform name, device
 * name, driver version, options and source, and loaded instead of compiling
 * when present. POCL, which caches its own builds, is skipped unless
 * PN_CL_CACHE=force; PN_CL_CACHE=off disables the cache everywhere. The cache
 * never makes a build fail: an unreadable, stale or rejected binary means a
 * build from source, an unwritable directory means no cache. */
pn_status pn_cl_build_program(cl_context context, cl_uint ndevices,
                              const cl_device_id *devices, const char *source,
                              const char *options, cl_program *out, pn_error *err);

#endif
