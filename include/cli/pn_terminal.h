/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_terminal.h -- what the CLI draws on stderr while it works: progress, notes, and Ctrl-C. */
#ifndef PN_TERMINAL_H
#define PN_TERMINAL_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "base/pn_progress.h"

/* State of the progress line on one stream; main() owns one. */
typedef struct pn_progress_line {
    FILE *stream;
    bool enabled;      /* only when the stream is a terminal and not --quiet */
    bool drawn;        /* a line is on screen and needs erasing */
    double started;    /* monotonic seconds at creation */
    double last_draw;  /* monotonic seconds of the last draw */
} pn_progress_line;

/* Sets up a progress line on stream, enabled when the stream is a terminal
 * and quiet is false. */
void pn_progress_line_init(pn_progress_line *line, FILE *stream, bool quiet);

/* A pn_progress_fn: draws "Calculating... 42.0% (done/total), rate, ETA [#0 rate, ...]" at
 * most every 200 ms (ctx is a pn_progress_line), cut to one column less than
 * the terminal's width (TIOCGWINSZ, 80 when unknown) so it never wraps. */
void pn_progress_line_update(void *ctx, const pn_progress_report *report);

/* Erases the progress line, if one is drawn. */
void pn_progress_line_finish(pn_progress_line *line);

/* Installs SIGINT and SIGTERM handlers that set *flag, so a long run stops
 * between chunks and says how far it got. The first signal also starts a
 * 0.9 s grace timer: a run still going when it ends (a step no engine can
 * interrupt, such as one huge GMP binomial), or a second signal, exits 130 at
 * once with a one-line note. Ctrl-C so takes under a second everywhere. */
void pn_install_stop_handlers(volatile sig_atomic_t *flag);

#endif
