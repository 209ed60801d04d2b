/* pn_opencl_session.h -- an OpenCL context on the chosen devices, self-tested, that answers many queries. */
#ifndef PN_OPENCL_SESSION_H
#define PN_OPENCL_SESSION_H

#include <stdbool.h>

#include "base/pn_device_choice.h"
#include "base/pn_run.h"
#include "question/pn_histogram.h"
#include "question/pn_levels.h"
#include "question/pn_query.h"
#include "base/pn_status.h"

/* An open OpenCL context on the chosen devices, with the kernels built and
 * self-tested, reusable for many queries (the test suite runs thousands of
 * queries through one session). Defined in opencl_session.c. */
typedef struct pn_opencl_session pn_opencl_session;

/* Opens a session on the devices `choice` names. With specialise false the
 * kernels are built once per shape (model, table entry type, word) with
 * run-time parameters; with specialise true each query's hosts, base, guests
 * and low digits reach the compiler as -D options too (one build per
 * distinct query, cached for the session's life). Before a shape's first
 * query the known-answer self-test runs on that build: PN_ERR_SELFTEST on a
 * mismatch. */
pn_status pn_opencl_session_open(const pn_device_choice *choice, bool specialise,
                                 pn_opencl_session **out, pn_error *err);

/* Adds the counts of q's slice into hist, exactly as pn_engine_opencl_run. */
pn_status pn_opencl_session_run(pn_opencl_session *s, const pn_query *q, pn_run *run,
                                pn_histogram *hist, pn_error *err);

/* One pass over q's keyspace (or its slice) that adds each guest count
 * lv->guests[i] into hists[i] (made by pn_histogram_init_query), napping
 * sums of a mixed fleet's groups included: how the opencl engine answers
 * mixed fleets (group 0's hosts the low digits) and sweeps (the prefix
 * kernel walks its table once per reachable level). Every level's 64-bit
 * counters must hold its counts (PN_ERR_USAGE otherwise). */
pn_status pn_opencl_session_levels(pn_opencl_session *s, const pn_query *q,
                                   const pn_levels *lv, pn_run *run, pn_histogram *hists,
                                   pn_error *err);

/* Where a session's wall time went, in seconds, since it opened. */
typedef struct pn_opencl_timing {
    double open;     /* platform and devices chosen, context, queues */
    double build;    /* program builds: from source, POCL's or our binary cache */
    double selftest; /* known-answer self-tests, their builds left out */
    double prepare;  /* queries' tables, buffers, kernels and arguments */
    double run;      /* queries' chunks on the devices and reading back the bins */
    unsigned builds, selftests;
} pn_opencl_timing;

/* Copies the session's timing so far into *out. */
void pn_opencl_session_timing(const pn_opencl_session *s, pn_opencl_timing *out);

/* Sets the bytes of the kernel's word (16 or 32) for the session's later
 * queries, instead of the devices' choice (32 on CPU devices, 16 on others):
 * the tests run the GPU shape of the kernel on a CPU with it. */
void pn_opencl_session_set_word_bytes(pn_opencl_session *s, unsigned bytes);

/* Releases everything; safe on NULL. */
void pn_opencl_session_close(pn_opencl_session *s);

#endif
