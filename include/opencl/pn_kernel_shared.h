/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_kernel_shared.h -- what the kernels and the host C code must agree on: limits, the simulation's policy numbers, the per-host descriptor. */
#ifndef PN_KERNEL_SHARED_H
#define PN_KERNEL_SHARED_H

/* Read by two compilers: the host's C11 compiler, which includes it, and the
 * OpenCL C compiler, which gets it in front of kernels/enumerate.cl and
 * kernels/simulate.cl (the Makefile prepends it when it embeds them). So it
 * holds only what both languages take alike: #defines, and one struct of
 * 32-bit fields, whose layout is the same on both sides (no padding). */

/* Most groups a mixed fleet's plan may have: count_indices and
 * count_prefixes keep one empty-host count per group in private memory. */
#define PN_CL_MAX_GROUPS 16

/* The simulation's placement policies, as the kernel's `policy` argument
 * carries them (pn_policy takes its values from here). */
#define PN_CL_POLICY_RANDOM 0
#define PN_CL_POLICY_FIRST_FIT 1
#define PN_CL_POLICY_BEST_FIT 2
#define PN_CL_POLICY_WORST_FIT 3
#define PN_CL_POLICY_ROUND_ROBIN 4

#ifdef __OPENCL_VERSION__
typedef uint pn_cl_u32;
#else
#include <stdint.h>
typedef uint32_t pn_cl_u32;
#endif

/* One host of a mixed fleet, as the enumeration kernels read it from their
 * host table (built with -D PER_HOST_BASES=1): the base of its digit
 * (capacity + 1), where its binomial row C(capacity, 0..capacity) starts in
 * the binom table, and its group. */
typedef struct pn_cl_host {
    pn_cl_u32 base, row, group;
} pn_cl_host;

#endif
