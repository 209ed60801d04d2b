/* SPDX-License-Identifier: GPL-3.0-or-later */
/* simulate_run.c -- which engine runs a simulation: the one named, or OpenCL else cpu for auto. */
#include "simulate/pn_simulate.h"

/* OpenCL when a device exists, else the cpu engine with a one-line note
 * (pn_engine_opencl_or_cpu decides, as for enumerations). */
static pn_status run_auto(const pn_sim_query *q, pn_run *run, pn_sim_result *r, pn_error *err)
{
    bool opencl;
    pn_status st = pn_engine_opencl_or_cpu(NULL, run, &opencl, err);
    if (st != PN_OK)
        return st;
    return opencl ? pn_sim_opencl_run(q, run, 0, r, err) : pn_sim_cpu_run(q, run, r, err);
}

pn_status pn_sim_run(pn_engine_kind kind, const pn_sim_query *q, pn_run *run, pn_sim_result *r,
                     pn_error *err)
{
    if (!q->resolved)
        return pn_fail(err, PN_ERR_USAGE, "internal: simulation query not resolved");
    switch (kind) {
    case PN_ENGINE_AUTO: return run_auto(q, run, r, err);
    case PN_ENGINE_OPENCL: return pn_sim_opencl_run(q, run, 0, r, err);
    case PN_ENGINE_CPU: return pn_sim_cpu_run(q, run, r, err);
    case PN_ENGINE_EXACT: break;
    }
    return pn_fail(err, PN_ERR_USAGE, "--simulate runs on the opencl or cpu engine; "
                   "--engine exact does not simulate");
}
