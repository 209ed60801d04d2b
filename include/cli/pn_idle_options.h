/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_idle_options.h -- one-line notes for options the run was given but cannot use. */
#ifndef PN_IDLE_OPTIONS_H
#define PN_IDLE_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

#include "cli/pn_cli.h"

/* Writes "powernap_calculator: note: --device ... ignored" on out when
 * --device was given to --engine cpu or exact, which use no OpenCL device;
 * nothing under --quiet. Not an error: the answer is the same. */
void pn_note_idle_device(const pn_options *opts, FILE *out);

#endif
