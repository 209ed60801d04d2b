/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_trace.h -- a VM trace, recorded or generated: each VM's arrival, departure and size, and the readers and writers that fill it. */
#ifndef PN_TRACE_H
#define PN_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/pn_status.h"

/* One VM of a trace. Times are seconds (the Azure packing trace's days are
 * converted by its reader); sizes are in the units of the fleet's capacities
 * (cores, and memory when the fleet gives memory), decimals allowed. */
typedef struct pn_trace_vm {
    double start;    /* arrival */
    double end;      /* departure, > start (a VM still running at the end of
                      * the trace ends at the trace's largest time) */
    double cores;    /* > 0 */
    double memory;   /* >= 0; 0 when the trace gives no memory */
    uint64_t origin; /* what an error names: the file line (CSV, vmtable) or
                      * the vmId (SQLite); 0 for a generated VM */
} pn_trace_vm;

/* A trace: VMs in file order (arrivals at one instant keep this order). */
typedef struct pn_trace {
    pn_trace_vm *vms;
    size_t count;
    size_t capacity;  /* allocated entries of vms */
    bool has_memory;  /* the source gave a memory size for its VMs */
    uint64_t skipped; /* rows a reader left out on purpose (the Azure packing
                       * trace: a VM type with no row for --azure-machine) */
} pn_trace;

/* An empty trace (no allocation). */
void pn_trace_init(pn_trace *trace);

/* Frees the VMs and leaves an empty trace. */
void pn_trace_free(pn_trace *trace);

/* Appends one VM (copied), growing the array geometrically; PN_ERR_NOMEM
 * when it cannot grow. Does not validate the VM: readers do. */
pn_status pn_trace_append(pn_trace *trace, const pn_trace_vm *vm, pn_error *err);

#endif
