/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_run.h -- everything around one long computation that is not the question: devices, progress, notes. */
#ifndef PN_RUN_H
#define PN_RUN_H

#include <stdbool.h>

#include "base/pn_device_choice.h"
#include "base/pn_progress.h"

/* Everything around one engine call (or simulation) that is not the question itself. */
typedef struct pn_run {
    pn_device_choice device; /* in: OpenCL device selection */
    pn_progress progress;    /* in: progress callback and cancel flag */
    bool force;              /* in: --force: run the exact engine past its cost limits */
    /* out: which engine answered, e.g. "opencl (pthread-skylake on Portable
     * Computing Language)", "cpu", "exact"; for reports and JSON. */
    char engine_used[256];
    /* out: notes main() shows on stderr unless --quiet (fallback warnings,
     * the auto choice and its reason), one per line, possibly empty. */
    char notes[1024];
} pn_run;

/* Appends one line to run->notes (truncating rather than overflowing). */
void pn_run_note(pn_run *run, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
