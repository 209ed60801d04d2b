/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_kernel_source.h -- the OpenCL C source of the kernels, embedded at build time. */
#ifndef PN_KERNEL_SOURCE_H
#define PN_KERNEL_SOURCE_H

#include <stddef.h>

/* kernels/enumerate.cl (and any other kernel but the simulation's), after
 * opencl/pn_kernel_shared.h. */
extern const char pn_kernel_source[];
extern const size_t pn_kernel_source_len;

/* kernels/simulate.cl after opencl/pn_kernel_shared.h, built apart:
 * Random123's philox.h is inlined into it. */
extern const char pn_simulate_kernel_source[];
extern const size_t pn_simulate_kernel_source_len;

#endif
