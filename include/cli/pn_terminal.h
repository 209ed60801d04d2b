/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_terminal.h -- what the CLI draws on stderr while it works: progress, notes, and Ctrl-C. */
#ifndef PN_TERMINAL_H
#define PN_TERMINAL_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "base/pn_progress.h"

/* Seconds between two status lines when the stream is not a terminal. */
#define PN_STATUS_EVERY_DEFAULT 60.0

/* State of the progress line on one stream; main() owns one. */
typedef struct pn_progress_line {
    FILE *stream;
    bool enabled;      /* only when the stream is a terminal and not --quiet */
    bool drawn;        /* a line is on screen and needs erasing */
    double started;    /* monotonic seconds at creation */
    double last_draw;  /* monotonic seconds of the last draw */
    /* not a terminal (a log) and not --quiet: a whole status line every
     * status_every seconds (0: none), never a carriage return */
    bool logged;
    double status_every;
    double last_status;
    bool reported;     /* a report came */
    bool enumerated;   /* the latest report counted scenarios */
    bool quiet;
    bool checkpointable; /* pn_progress_line_offer_checkpoint */
} pn_progress_line;

/* Sets up a progress line on stream: drawn when the stream is a terminal,
 * status lines every PN_STATUS_EVERY_DEFAULT seconds when it is not;
 * neither when quiet. */
void pn_progress_line_init(pn_progress_line *line, FILE *stream, bool quiet);

/* A pn_progress_fn (ctx is a pn_progress_line). On a terminal: draws
 * "Calculating... 42.0% (done/total), rate, elapsed, ETA [#0 rate, ...]" at
 * most every 200 ms, fitted (pn_progress_format) to one column less than
 * the terminal's width (TIOCGWINSZ, else $COLUMNS, else 80) so it never
 * wraps. Elsewhere: "powernap_calculator: progress: 42.0% (...), ..." on a
 * line of its own every status_every seconds. */
void pn_progress_line_update(void *ctx, const pn_progress_report *report);

/* Erases the progress line, if one is drawn. */
void pn_progress_line_finish(pn_progress_line *line);

/* Says whether a run stopped by a signal could have been resumed had it
 * kept a ledger: `checkpointable` when the run took none but could have
 * (an enumeration, no --verify). Call before the run; the grace timer's
 * note adds the hint too. */
void pn_progress_line_offer_checkpoint(pn_progress_line *line, bool checkpointable);

/* After a run stopped by a signal: when it was offered (above) and was
 * enumerating (its latest report counted scenarios, or it had none yet and
 * `enumerating`), writes "powernap_calculator: note: --checkpoint FILE
 * would have made this run resumable ..." on the line's stream; nothing
 * when quiet. */
void pn_progress_line_note_resumable(const pn_progress_line *line, bool enumerating);

/* Installs SIGINT and SIGTERM handlers that set *flag, so a long run stops
 * between chunks and says how far it got. The first signal also starts a
 * 0.9 s grace timer: a run still going when it ends (a step no engine can
 * interrupt, such as one huge GMP binomial), or a second signal, exits 130 at
 * once with a one-line note. Ctrl-C so takes under a second everywhere. */
void pn_install_stop_handlers(volatile sig_atomic_t *flag);

#endif
