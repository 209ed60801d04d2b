/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_engine.h -- the one interface every engine (opencl, cpu, exact) implements. */
#ifndef PN_ENGINE_H
#define PN_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "question/pn_histogram.h"
#include "question/pn_levels.h"
#include "base/pn_run.h"
#include "question/pn_query.h"
#include "base/pn_status.h"

typedef enum pn_engine_kind {
    PN_ENGINE_AUTO = 0,
    PN_ENGINE_OPENCL,
    PN_ENGINE_CPU,
    PN_ENGINE_EXACT
} pn_engine_kind;


/* Each engine adds the counts of query q into hists, one histogram per
 * level of q->levels (made by pn_histograms_init, or one
 * pn_histogram_init_query for a single level: engines never init or clear
 * them); for a mixed fleet that includes the napping sums of each group.
 * Each engine has this one entry whatever the number of levels; which pass
 * serves one level or several is the engine's own choice. On failure the
 * histograms hold partial counts and must not be reported. */
typedef pn_status (*pn_engine_fn)(const pn_query *q, pn_run *run,
                                  pn_histogram *hists, pn_error *err);

/* The plain C enumeration over the keyspace slice, for checking the OpenCL
 * kernel. A mixed fleet's index is decoded in mixed radix (host j in base
 * c_j + 1). Several levels are counted in one pass, each scenario under its
 * guest sum. Every level must be enumerable (PN_ERR_USAGE naming the first
 * that is not). */
pn_status pn_engine_cpu_run(const pn_query *q, pn_run *run, pn_histogram *hists,
                            pn_error *err);

/* The OpenCL kernel over the keyspace slice, on run->device (a mixed
 * fleet's prefixes decoded host by host, each with its own base), every
 * level in one pass. */
pn_status pn_engine_opencl_run(const pn_query *q, pn_run *run,
                               pn_histogram *hists, pn_error *err);

/* Closed-form counting with GMP; any size, never enumerates. Refuses slices.
 * A mixed fleet, or several levels when cheaper, is counted through
 * generating functions (exact_gf.c); a homogeneous cloud's levels otherwise
 * by the closed form, level by level. */
pn_status pn_engine_exact_run(const pn_query *q, pn_run *run,
                              pn_histogram *hists, pn_error *err);

/* How fast an enumerating engine should go here, so auto can judge whether
 * brute force finishes quickly; a cheap guess (no kernel runs). */
typedef struct pn_estimate {
    double scenarios_per_second;
    /* what the rate describes, for auto's note: the (first) OpenCL device's
     * name, or "the cpu engine" */
    char device[256];
} pn_estimate;

/* The cpu engine's rate, a constant measured on this project's machines. */
pn_status pn_engine_cpu_estimate(const pn_query *q, const pn_run *run, pn_estimate *out,
                                 pn_error *err);

/* The OpenCL engine's rate on run->device, from device type, compute units
 * and clock, for the build q would run on (its model and table entry type;
 * q may be NULL: the fastest build's rate). Fails as --device would:
 * PN_ERR_USAGE for a bad index, PN_ERR_OPENCL when no platform or device
 * exists. */
pn_status pn_engine_opencl_estimate(const pn_query *q, const pn_run *run, pn_estimate *out,
                                    pn_error *err);

/* The OpenCL-else-cpu choice, written once for enumerations, enumerators
 * and simulations: *opencl true when run->device names a usable OpenCL
 * device; false (and a one-line warning in run->notes) when no platform or
 * device exists. A bad --device index is the user's mistake and is not
 * papered over: PN_ERR_USAGE. q may be NULL (the fastest build's shape). */
pn_status pn_engine_opencl_or_cpu(const pn_query *q, pn_run *run, bool *opencl, pn_error *err);

/* The estimate of the engine `kind` names. PN_ENGINE_AUTO: the engine auto
 * enumerates with, OpenCL, or the cpu engine when no OpenCL device exists
 * (a bad --device index is still PN_ERR_USAGE). PN_ENGINE_EXACT never
 * enumerates and has no rate: PN_ERR_USAGE. out is only meaningful on PN_OK. */
pn_status pn_engine_estimate(pn_engine_kind kind, const pn_query *q, const pn_run *run,
                             pn_estimate *out, pn_error *err);

/* Runs the engine `kind` names over every level of q; PN_ENGINE_AUTO picks
 * one (see engine.c) and explains its choice in run->notes. */
pn_status pn_engine_run(pn_engine_kind kind, const pn_query *q, pn_run *run,
                        pn_histogram *hists, pn_error *err);

/* --verify: computes the exact answer of every level first, then enumerates
 * (cpu when kind is PN_ENGINE_CPU, OpenCL when PN_ENGINE_OPENCL; for auto
 * OpenCL falling back to cpu on one level, the cpu engine's one pass on
 * several) into hists, and returns PN_ERR_MISMATCH naming the first level
 * and bin (or napping sum) that differs. */
pn_status pn_engine_verify(pn_engine_kind kind, const pn_query *q, pn_run *run,
                           pn_histogram *hists, pn_error *err);

/* An enumerating engine kept open across the many slices of one run: a
 * checkpointed run (and an MPI rank) hands it chunk after chunk, and the
 * OpenCL engine then builds and self-tests once, not once per chunk. `run`
 * counts q's slice into hists, one per level, as the engine's pn_engine_fn
 * would (every level in one pass). */
typedef struct pn_enumerator {
    void *state;
    pn_status (*run)(void *state, const pn_query *q, pn_run *run, pn_histogram *hists,
                     pn_error *err);
    void (*close)(void *state);
} pn_enumerator;

/* The cpu engine as an enumerator (no state). */
pn_status pn_engine_cpu_enumerator(pn_run *run, pn_enumerator *out, pn_error *err);

/* The OpenCL engine as an enumerator: one session on run->device. */
pn_status pn_engine_opencl_enumerator(pn_run *run, pn_enumerator *out, pn_error *err);

/* The enumerator `kind` names: opencl, cpu, or for auto OpenCL when a device
 * exists and the cpu engine (with a note) when none does. The exact engine
 * does not enumerate: PN_ERR_USAGE. Close it with pn_enumerator_close. */
pn_status pn_enumerator_open(pn_engine_kind kind, pn_run *run, pn_enumerator *out,
                             pn_error *err);

/* Releases what the enumerator holds; safe on a zeroed one. */
void pn_enumerator_close(pn_enumerator *e);

/* A measured rate: the engine run on a short slice of the query and timed. */
typedef struct pn_rate_sample {
    char device[256];
    double scenarios_per_second;
} pn_rate_sample;

/* Measures the cpu engine on a slice of q's range (about 0.1 s of work). */
pn_status pn_engine_cpu_measure(const pn_query *q, pn_run *run, pn_rate_sample *out,
                                pn_error *err);

/* Measures every device run->device chooses, one at a time, on a slice of
 * q's range (a warm-up, then about 0.3 s of work each), into out[0..*n). */
pn_status pn_engine_opencl_measure(const pn_query *q, pn_run *run, pn_rate_sample *out,
                                   unsigned max, unsigned *n, pn_error *err);

/* Rates already measured on q (--estimate measured them): OpenCL's, all
 * chosen devices together, and the cpu engine's; 0 where not known. */
typedef struct pn_auto_rates {
    double opencl, cpu;
} pn_auto_rates;

/* What auto decided and why. */
typedef struct pn_auto_choice {
    pn_engine_kind kind; /* PN_ENGINE_OPENCL, CPU or EXACT */
    bool enumerable;     /* false: only the exact engine can answer */
    bool measured;       /* seconds come from a measured rate, not the table */
    pn_estimate est;     /* the rate judged by */
    double seconds;      /* brute force's time at that rate */
} pn_auto_choice;

/* What auto does with q: enumerate on OpenCL (or cpu when no device, or
 * when a fleet's napping sums could pass OpenCL's 64 bits) when brute force
 * should take at most two seconds, otherwise count exactly. The time comes
 * from the engines' table rates; when those put it between 2 and 8 s, the
 * rate is measured on q as --estimate does (known's, when it has one), so
 * the decision near the line is the machine's. PN_ERR_INTERRUPTED on
 * Ctrl-C while measuring; PN_ERR_USAGE for a bad --device. */
pn_status pn_engine_auto_decide(const pn_query *q, const pn_run *run, const pn_auto_rates *known,
                                pn_auto_choice *out, pn_error *err);

/* "auto", "opencl", "cpu", "exact". */
const char *pn_engine_name(pn_engine_kind kind);

/* Parses an engine name; false when unknown. */
bool pn_engine_parse(const char *text, pn_engine_kind *out);

#endif
