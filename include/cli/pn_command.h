/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_command.h -- the command's front end, shared by both mains: answers parsed options, writes the report on stdout and messages on stderr, and picks the exit status. */
#ifndef PN_COMMAND_H
#define PN_COMMAND_H

#include <stdbool.h>

#include "cli/pn_cli.h"
#include "engine/pn_engine.h"
#include "question/pn_histogram.h"
#include "slice/pn_ledger.h"
#include "slice/pn_ledger_lock.h"
#include "question/pn_query.h"
#include "base/pn_status.h"

/* Like terminal.c, this file exists to write: it is the part of main() that
 * powernap_calculator and powernap_calculator-mpi share, so both print the
 * same messages, reports and exit codes. The rest of the library never
 * prints. */

/* Makes GMP end the process with a message and exit 1 when memory runs out,
 * instead of abort(); call once, first thing in main(). */
void pn_command_setup(void);

/* Does what opts asks (help, version, devices, keyspace, merge, or answer the
 * question, with --checkpoint/--restore in chunks) in this one process, and
 * returns the exit status: 0, 1, 2, 3 or 130. */
int pn_command_run(const pn_options *opts);

/* Writes msg on stderr as one line ("powernap_calculator: msg") and returns
 * the exit status st maps to. A usage error (exit 2) has its control bytes
 * escaped and a second line, GNU's "Try 'powernap_calculator --help' for
 * more information." */
int pn_command_fail(pn_status st, const char *msg);

/* The question opts asks, resolved, into *q: -g G's one level, or a sweep's
 * or a load curve's list, whose arrays *lv then holds (free them with
 * pn_levels_clear; lv is zeroed for -g G). */
pn_status pn_command_question(const pn_options *opts, pn_query *q, pn_levels *lv, pn_error *err);

/* The ledger of a chunked run: a new one for q (pn_command_question's;
 * --checkpoint, or none at all), naming opts->load_curve, or the one
 * --restore names, whose question opts then asks (pn_cli_adopt_ledger:
 * opts borrows the ledger's levels and curve's name), refused
 * (PN_ERR_USAGE) when another run holds it or a question option the user
 * typed conflicts with it. The file's lock goes into *lock
 * (pn_ledger_lock_take), whose path is where saves go. Clear the ledger
 * with pn_ledger_clear and the lock with pn_ledger_lock_release when the
 * run is over, also after a failure. */
pn_status pn_command_open_ledger(pn_options *opts, const pn_query *q, pn_ledger_lock *lock,
                                 pn_ledger *l, pn_error *err);

/* A finished ledger's answer: its question into *q (unsliced when it covers
 * the whole keyspace, so the report reads as an uninterrupted run's), which
 * then owns the ledger's levels (free them with pn_levels_clear); its
 * counts, one histogram per level, into *hists (pn_histograms_free); its
 * load curve's name into *load_curve (NULL when none; free it). The ledger
 * keeps none of them. */
void pn_command_take_answer(pn_ledger *l, pn_query *q, pn_histogram **hists, char **load_curve);

/* The end of an answer: run's notes on stderr (unless --quiet, or st is a
 * usage error: a refusal stays one line), then the plot and the report of
 * q and hist, one histogram per level (the 2009 page for one level, the
 * sweep's page for a list), on stdout when st is PN_OK, or st's message;
 * returns the exit status. */
int pn_command_finish(const pn_options *opts, pn_status st, const pn_query *q,
                      const pn_histogram *hist, const pn_run *run, const pn_error *err);

#endif
