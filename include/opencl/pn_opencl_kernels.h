/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_opencl_kernels.h -- the kernels of kernels/enumerate.cl from the host: tables, arguments, ranges. */
#ifndef PN_OPENCL_KERNELS_H
#define PN_OPENCL_KERNELS_H

#include <stdint.h>

#include <CL/cl.h>

#include "opencl/pn_opencl_plan.h"
#include "base/pn_status.h"

/* A plan's tables as read-only buffers, shared by every device of a context;
 * NULL members are not made (yet). */
typedef struct pn_opencl_tables {
    cl_mem low_sum, low_weight, zero_start, binom, host;
} pn_opencl_tables;

/* Copies the plan's low table, weights, zero classes, binomial rows and
 * (a mixed fleet's) host table into new buffers of ctx. On failure the buffers made so far stay in *t for
 * pn_opencl_tables_release. */
pn_status pn_opencl_tables_make(cl_context ctx, const pn_plan *pl, pn_opencl_tables *t,
                                pn_error *err);

/* Releases the buffers that exist and sets them to NULL; a failure is
 * recorded in *st only when *st is still PN_OK (the first error is kept). */
void pn_opencl_tables_release(pn_opencl_tables *t, pn_status *st, pn_error *err);

/* Creates count_indices and count_prefixes from prog (built with the plan's
 * options) into out[PN_KIND_INDEX] and out[PN_KIND_PREFIX], and sets every
 * argument that stays the same for the whole plan: its constants, the
 * tables, the __local histogram (a placeholder when the plan counts
 * straight into global memory) and bins, the device's nbins counters. On failure
 * the kernels made so far are in out for the caller to release. */
pn_status pn_opencl_kernels_make(cl_program prog, const pn_plan *pl, const pn_opencl_tables *t,
                                 cl_mem bins, cl_kernel out[2], pn_error *err);

/* Sets the arguments one launch of either kernel changes: its first index
 * or prefix, and how many. */
pn_status pn_opencl_kernel_set_range(cl_kernel k, uint64_t first, uint64_t n, pn_error *err);

#endif
