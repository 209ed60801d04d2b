/* pn_opencl_selftest.h -- the known-answer test a device passes before its counts are trusted. */
#ifndef PN_OPENCL_SELFTEST_H
#define PN_OPENCL_SELFTEST_H

#include <stdbool.h>
#include <stdint.h>

#include "opencl/pn_opencl_plan.h"
#include "base/pn_status.h"

/* Runs plan pl on the devices under test and adds its counts into counts
 * (pl->hosts + 1 entries); ctx is the caller's. */
typedef pn_status (*pn_opencl_plan_runner)(void *ctx, const pn_plan *pl, uint64_t *counts,
                                           pn_error *err);

/* Runs the seed's 4 hosts, 2 per host, 3 guests for one build -- its model
 * (slots or uniform) and its table entry bytes (1, 2 or 4: the prefix
 * kernel's narrow compare) -- through both kernels, via run_plan on plans
 * made for limits lim, and compares with the known answer. PN_ERR_SELFTEST,
 * naming `device`, the kernel, the entry type and both histograms, on a
 * mismatch; run_plan's own failures are returned as they are. */
pn_status pn_opencl_selftest(pn_opencl_plan_runner run_plan, void *ctx,
                             const pn_plan_limits *lim, bool slots, unsigned sum_bytes,
                             const char *device, pn_error *err);

#endif
