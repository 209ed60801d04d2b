/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_opencl_selftest.h -- the known-answer test a build passes before its counts are trusted. */
#ifndef PN_OPENCL_SELFTEST_H
#define PN_OPENCL_SELFTEST_H

#include <stdbool.h>
#include <stdint.h>

#include "opencl/pn_opencl_plan.h"
#include "base/pn_status.h"

/* Runs plan pl on the devices under test and adds its counts into counts
 * (pl->nbins entries); ctx is the caller's. */
typedef pn_status (*pn_opencl_plan_runner)(void *ctx, const pn_plan *pl, uint64_t *counts,
                                           pn_error *err);

/* Tests the build `shape` runs on (its pn_plan_options) with small cases of
 * known answer through both kernels, via run_plan on plans of exactly those
 * options, made under the devices' limits lim: for one base the seed's 4
 * hosts, 2 per host, at 3 and 4 guests; for per-host bases the fleet
 * 2x1,1x2 at 2 and 3 guests with its napping sums. PN_ERR_SELFTEST, naming
 * `device`, the kernel, the entry type and what came out, on a mismatch;
 * run_plan's own failures are returned as they are. */
pn_status pn_opencl_selftest(pn_opencl_plan_runner run_plan, void *ctx,
                             const pn_plan_limits *lim, const pn_plan *shape,
                             const char *device, pn_error *err);

#endif
