/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_command_replay.h -- the command's trace replay: the trace loaded, replayed under one policy or all, the report written. */
#ifndef PN_COMMAND_REPLAY_H
#define PN_COMMAND_REPLAY_H

#include "cli/pn_cli.h"
#include "base/pn_status.h"

/* --trace FILE --simulate POLICY|all: loads the trace, replays it on the
 * fleet (opts->query) under the policy, or every policy in turn, and writes
 * the report (or, with --every, the time series) on stdout; notes (memory
 * the fleet does not model, VMs a reader skipped) on stderr unless -q.
 * The status and message of the first failure: PN_ERR_USAGE for a bad
 * trace or window, PN_ERR_IO, PN_ERR_NOMEM. */
pn_status pn_command_replay(const pn_options *opts, pn_error *err);

#endif
