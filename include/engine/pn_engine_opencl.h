/* pn_engine_opencl.h -- the opencl engine on an open session: questions turned into plan requests, count arrays into histograms. */
#ifndef PN_ENGINE_OPENCL_H
#define PN_ENGINE_OPENCL_H

#include "opencl/pn_opencl_session.h"
#include "question/pn_histogram.h"
#include "question/pn_levels.h"
#include "base/pn_run.h"
#include "question/pn_query.h"
#include "base/pn_status.h"

/* Adds the counts of q's slice into hist, exactly as pn_engine_opencl_run
 * does, on the session s (so many queries share its builds and
 * self-tests); run->engine_used names the session's devices. */
pn_status pn_engine_opencl_session_run(pn_opencl_session *s, const pn_query *q, pn_run *run,
                                       pn_histogram *hist, pn_error *err);

/* One pass over q's keyspace (or its slice) on the session s that adds
 * each guest count lv->guests[i] into hists[i] (made by
 * pn_histogram_init_query), napping sums of a mixed fleet's groups
 * included: how the opencl engine answers mixed fleets (group 0's hosts the
 * low digits) and sweeps (the prefix kernel walks its table once per
 * reachable level). Every level's 64-bit counters must hold its counts
 * (PN_ERR_USAGE otherwise). */
pn_status pn_engine_opencl_session_levels(pn_opencl_session *s, const pn_query *q,
                                          const pn_levels *lv, pn_run *run,
                                          pn_histogram *hists, pn_error *err);

#endif
