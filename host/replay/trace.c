/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trace.c -- the VM trace's storage: an array of VMs that readers and generators append to. */
#include "replay/pn_trace.h"

#include <stdint.h>
#include <stdlib.h>

void pn_trace_init(pn_trace *trace)
{
    *trace = (pn_trace){0};
}

void pn_trace_free(pn_trace *trace)
{
    free(trace->vms);
    pn_trace_init(trace);
}

pn_status pn_trace_append(pn_trace *trace, const pn_trace_vm *vm, pn_error *err)
{
    if (trace->count == trace->capacity) {
        /* Doubling keeps a stream of millions of rows at O(n) copies. */
        size_t grown = trace->capacity ? trace->capacity * 2 : 1024;
        if (grown > SIZE_MAX / sizeof *trace->vms)
            return pn_fail(err, PN_ERR_NOMEM, "a trace of %zu VMs does not fit in memory",
                           trace->count);
        pn_trace_vm *vms = realloc(trace->vms, grown * sizeof *vms);
        if (!vms)
            return pn_fail(err, PN_ERR_NOMEM, "out of memory holding a trace of %zu VMs",
                           trace->count);
        trace->vms = vms;
        trace->capacity = grown;
    }
    trace->vms[trace->count++] = *vm;
    return PN_OK;
}
