/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_engine_opencl.h -- the opencl engine on an open session: questions turned into plan requests, count arrays into histograms. */
#ifndef PN_ENGINE_OPENCL_H
#define PN_ENGINE_OPENCL_H

#include "opencl/pn_opencl_session.h"
#include "question/pn_histogram.h"
#include "question/pn_levels.h"
#include "base/pn_run.h"
#include "question/pn_query.h"
#include "base/pn_status.h"

/* Adds the counts of every level of q (or its slice) into hists, exactly
 * as pn_engine_opencl_run does, on the session s (so many queries share its
 * builds and self-tests); run->engine_used names the session's devices. */
pn_status pn_engine_opencl_session_run(pn_opencl_session *s, const pn_query *q, pn_run *run,
                                       pn_histogram *hists, pn_error *err);

#endif
