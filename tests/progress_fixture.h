/* SPDX-License-Identifier: GPL-3.0-or-later */
/* progress_fixture.h -- a progress callback that checks every report an engine hands it, keeps them, and can ask for a stop. */
#ifndef PN_TEST_PROGRESS_FIXTURE_H
#define PN_TEST_PROGRESS_FIXTURE_H

#include <criterion/criterion.h>
#include <signal.h>

#include "base/pn_progress.h"

#define PROGRESS_LOG_KEEP 64

/* What the callback saw: how many reports, the first and the latest, and
 * `done` of each of the first PROGRESS_LOG_KEEP. */
typedef struct progress_log {
    unsigned calls;
    unsigned cancel_after; /* ask for a stop at this report; 0: never */
    volatile sig_atomic_t cancel;
    pn_progress_report first, last;
    uint64_t done_at[PROGRESS_LOG_KEEP];
} progress_log;

/* The callback: done never shrinks and never passes total. */
static inline void log_progress(void *ctx, const pn_progress_report *r)
{
    progress_log *log = ctx;
    cr_assert_leq(r->done, r->total);
    if (log->calls > 0)
        cr_assert_geq(r->done, log->last.done, "done shrank");
    if (log->calls == 0)
        log->first = *r;
    log->last = *r;
    if (log->calls < PROGRESS_LOG_KEEP)
        log->done_at[log->calls] = r->done;
    if (++log->calls == log->cancel_after)
        log->cancel = 1;
}

/* A pn_progress that reports to log and stops when log asks. */
static inline pn_progress logged(progress_log *log)
{
    return (pn_progress){.update = log_progress, .ctx = log, .cancel = &log->cancel};
}

#endif
