/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_opencl_session.h -- an OpenCL context on the chosen devices, self-tested, that counts many plans. */
#ifndef PN_OPENCL_SESSION_H
#define PN_OPENCL_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "opencl/pn_opencl_plan.h"
#include "base/pn_device_choice.h"
#include "base/pn_progress.h"
#include "base/pn_status.h"

/* An open OpenCL context on the chosen devices, with the kernels built and
 * self-tested, reusable for many plans (the test suite runs thousands of
 * queries through one session). It knows plans, not questions: the opencl
 * engine (host/engine/engine_opencl.c) turns a question into plan requests
 * and the counts back into histograms. Defined in opencl_session.c. */
typedef struct pn_opencl_session pn_opencl_session;

/* Opens a session on the devices `choice` names; every one needs 64-bit
 * atomics (PN_ERR_OPENCL otherwise). The kernels are built once per shape
 * (pn_plan_options: model, table address space and entry type, word, one
 * base or per-host bases, local or global bins), everything else reaching
 * them as arguments; before a shape's first plan the known-answer
 * self-test runs on that build: PN_ERR_SELFTEST on a mismatch. */
pn_status pn_opencl_session_open(const pn_device_choice *choice, pn_opencl_session **out,
                                 pn_error *err);

/* Counts the slice req describes on the session's devices and adds the
 * counts into counts, pn_plan_request_bins(req) 64-bit counters laid out as
 * that function says. Progress and cancel as `progress` says
 * (PN_ERR_INTERRUPTED when cancelled); an empty slice counts nothing, but
 * its build is still self-tested. The counters wrap mod 2^64: what a plan
 * may hold is the caller's to check. */
pn_status pn_opencl_session_count(pn_opencl_session *s, const pn_plan_request *req,
                                  const pn_progress *progress, uint64_t *counts,
                                  pn_error *err);

/* Writes "opencl (DEV on PLATFORM)", the session's devices joined by " + ",
 * into out (truncated to len): the engine's name in reports. */
void pn_opencl_session_describe(const pn_opencl_session *s, char *out, size_t len);

/* Where a session's wall time went, in seconds, since it opened. */
typedef struct pn_opencl_timing {
    double open;     /* platform and devices chosen, context, queues */
    double build;    /* program builds: from source, POCL's or our binary cache */
    double selftest; /* known-answer self-tests, their builds left out */
    double prepare;  /* plans' tables, buffers, kernels and arguments */
    double run;      /* plans' chunks on the devices and reading back the bins */
    unsigned builds, selftests;
} pn_opencl_timing;

/* Copies the session's timing so far into *out. */
void pn_opencl_session_timing(const pn_opencl_session *s, pn_opencl_timing *out);

/* Sets the bytes of the kernel's word (16 or 32) for the session's later
 * plans, instead of the devices' choice (32 on CPU devices, 16 on others):
 * the tests run the GPU shape of the kernel on a CPU with it. */
void pn_opencl_session_set_word_bytes(pn_opencl_session *s, unsigned bytes);

/* Releases everything; safe on NULL. */
void pn_opencl_session_close(pn_opencl_session *s);

#endif
