/* SPDX-License-Identifier: GPL-3.0-or-later */
/* idle_options.c -- one-line notes for options the run was given but cannot use. */
#include "cli/pn_idle_options.h"

#include "engine/pn_engine.h"

void pn_note_idle_device(const pn_options *opts, FILE *out)
{
    if (opts->quiet || !opts->device_given ||
        (opts->engine != PN_ENGINE_CPU && opts->engine != PN_ENGINE_EXACT))
        return;
    fprintf(out, "powernap_calculator: note: --device chooses an OpenCL device; --engine %s "
                 "uses none, so it is ignored\n",
            opts->engine == PN_ENGINE_CPU ? "cpu" : "exact");
}
