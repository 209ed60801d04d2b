/* simulate_run.c -- which engine runs a simulation: the one named, or OpenCL else cpu for auto. */
#include "simulate/pn_simulate.h"

/* OpenCL when a device exists, else the cpu engine with a one-line note; a
 * bad --device index is the user's mistake and is not papered over. */
static pn_status run_auto(const pn_sim_query *q, pn_run *run, pn_sim_result *r, pn_error *err)
{
    pn_estimate probe_rate;
    pn_error probe;
    pn_query shape = {.hosts = q->hosts, .per_host = q->per_host};
    pn_status st = pn_engine_opencl_estimate(&shape, run, &probe_rate, &probe);
    if (st == PN_ERR_USAGE)
        return pn_fail(err, st, "%s", probe.msg);
    if (st != PN_OK) {
        pn_run_note(run, "warning: %s; falling back to the cpu engine", probe.msg);
        return pn_sim_cpu_run(q, run, r, err);
    }
    return pn_sim_opencl_run(q, run, 0, r, err);
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
