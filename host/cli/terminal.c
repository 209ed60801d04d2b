/* SPDX-License-Identifier: GPL-3.0-or-later */
/* terminal.c -- the progress line on stderr and the Ctrl-C handler; the only library file that draws. */
#include "cli/pn_terminal.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "base/pn_duration.h"
#include "cli/pn_progress_text.h"

#define REDRAW_SECONDS 0.2
/* Columns assumed when the stream's terminal does not say. */
#define DEFAULT_COLUMNS 80
/* After a stop signal, the run gets this long to stop by itself (every
 * engine looks at the flag at least every ~100 ms of work); a step that
 * cannot be interrupted (one huge GMP binomial) is then cut short. */
#define STOP_GRACE_USEC 900000

/* Columns of the terminal behind stream: TIOCGWINSZ, else $COLUMNS, else
 * DEFAULT_COLUMNS. */
static size_t terminal_columns(FILE *stream)
{
    struct winsize ws;
    if (ioctl(fileno(stream), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *env = getenv("COLUMNS");
    char *end;
    long columns = env ? strtol(env, &end, 10) : 0;
    return env && *env && !*end && columns > 0 && columns < 100000 ? (size_t)columns
                                                                   : DEFAULT_COLUMNS;
}

/* done as a whole percent of total (> 0), rounded down, without overflow. */
static unsigned progress_percent(uint64_t done, uint64_t total)
{
    return (unsigned)(done <= UINT64_MAX / 100 ? done * 100 / total : done / (total / 100));
}

/* The latest report and whether a line is on screen, for the grace timer's
 * handler: it may only read lock-free atomics, and it must say how far the
 * run got and start on a clean line. */
static atomic_ullong seen_done, seen_total;
static atomic_uint seen_percent;
static atomic_bool seen_drawn;
static _Atomic(const char *) seen_unit;
/* whether the latest report counted scenarios, and whether a ledger was
 * offered (pn_progress_line_offer_checkpoint): the grace timer's hint */
static atomic_bool seen_enumerated, offer_checkpoint;

void pn_progress_line_init(pn_progress_line *line, FILE *stream, bool quiet)
{
    memset(line, 0, sizeof *line);
    line->stream = stream;
    line->quiet = quiet;
    line->enabled = !quiet && isatty(fileno(stream));
    line->logged = !quiet && !line->enabled;
    line->status_every = PN_STATUS_EVERY_DEFAULT;
    line->started = line->last_draw = line->last_status = pn_now_seconds();
}

/* Draws r on the terminal, in place of the line drawn before. */
static void draw(pn_progress_line *line, const pn_progress_report *r, double now)
{
    /* one column short of the width, so the cursor never wraps to a new line */
    size_t columns = terminal_columns(line->stream);
    char text[1024];
    pn_progress_format(r, now - line->started, "Calculating...", columns > 1 ? columns - 1 : 1,
                       text, sizeof text);
    fprintf(line->stream, "\r\033[K%s", text);
    fflush(line->stream);
    line->drawn = true;
    atomic_store(&seen_drawn, true);
}

/* Writes r as one whole line, for a log. */
static void log_status(pn_progress_line *line, const pn_progress_report *r, double now)
{
    char text[1024];
    pn_progress_format(r, now - line->started, "progress:", PN_PROGRESS_ANY_WIDTH, text,
                       sizeof text);
    fprintf(line->stream, "powernap_calculator: %s\n", text);
    fflush(line->stream);
}

void pn_progress_line_update(void *ctx, const pn_progress_report *r)
{
    pn_progress_line *line = ctx;
    double now = pn_now_seconds();
    line->reported = true;
    line->enumerated = !r->unit && !r->internal;
    atomic_store(&seen_enumerated, line->enumerated);
    if (r->total > 0) {
        atomic_store(&seen_done, r->done);
        atomic_store(&seen_total, r->total);
        atomic_store(&seen_percent, progress_percent(r->done, r->total));
        atomic_store(&seen_unit, r->unit ? r->unit : "scenarios");
    }
    if (r->total == 0)
        return;
    if (line->enabled && now - line->last_draw >= REDRAW_SECONDS) {
        line->last_draw = now;
        draw(line, r, now);
    }
    if (line->logged && line->status_every > 0 && now - line->last_status >= line->status_every) {
        line->last_status = now;
        log_status(line, r, now);
    }
}

void pn_progress_line_finish(pn_progress_line *line)
{
    if (line->drawn) {
        fprintf(line->stream, "\r\033[K");
        fflush(line->stream);
        line->drawn = false;
    }
    atomic_store(&seen_drawn, false);
}

/* The hint after a stop, when a ledger would have kept the work. */
static const char RESUMABLE[] =
    "powernap_calculator: note: --checkpoint FILE would have made this run resumable (then "
    "--restore FILE continues it)\n";

void pn_progress_line_offer_checkpoint(pn_progress_line *line, bool checkpointable)
{
    line->checkpointable = checkpointable;
    atomic_store(&offer_checkpoint, checkpointable && !line->quiet);
}

void pn_progress_line_note_resumable(const pn_progress_line *line, bool enumerating)
{
    if (line->quiet || !line->checkpointable ||
        !(line->reported ? line->enumerated : enumerating))
        return;
    fputs(RESUMABLE, line->stream);
    fflush(line->stream);
}

/* Appends the decimal digits of v at *at (async-signal-safe). */
static void put_number(char **at, unsigned long long v)
{
    char digits[24];
    int n = 0;
    do
        digits[n++] = (char)('0' + v % 10);
    while ((v /= 10) > 0);
    while (n > 0)
        *(*at)++ = digits[--n];
}

/* Appends the string s at *at, at most room bytes (async-signal-safe). */
static void put_text(char **at, const char *s, size_t room)
{
    while (*s && room-- > 0)
        *(*at)++ = *s++;
}

/* A handler may only touch a volatile sig_atomic_t; sigaction's context
 * cannot carry a pointer, so the flag's address waits in this one static,
 * written once before the handlers are installed. */
static volatile sig_atomic_t *stop_flag;

/* The grace period ran out (or a second signal came): leave at once, with
 * only async-signal-safe calls. */
static void on_stop_overdue(int sig)
{
    (void)sig;
    char msg[512], *at = msg;
    if (atomic_load(&seen_drawn))
        put_text(&at, "\r\033[K", 8); /* the progress line erased, not glued to */
    put_text(&at, "powernap_calculator: interrupted ", 64);
    unsigned long long total = atomic_load(&seen_total);
    if (total > 0) {
        put_text(&at, "after ", 8);
        put_number(&at, atomic_load(&seen_percent));
        put_text(&at, "% of the work (", 16);
        put_number(&at, atomic_load(&seen_done));
        put_text(&at, " of ", 8);
        put_number(&at, total);
        put_text(&at, " ", 2);
        put_text(&at, atomic_load(&seen_unit), 32);
        put_text(&at, "; ", 4);
    } else {
        put_text(&at, "before its first progress report (", 40);
    }
    put_text(&at, "the step in progress could not be stopped sooner)\n", 64);
    if (atomic_load(&offer_checkpoint) && atomic_load(&seen_enumerated))
        put_text(&at, RESUMABLE, sizeof RESUMABLE);
    ssize_t ignored = write(STDERR_FILENO, msg, (size_t)(at - msg));
    (void)ignored;
    _exit(130);
}

static void on_stop_signal(int sig)
{
    if (stop_flag && *stop_flag)
        on_stop_overdue(sig);
    if (stop_flag)
        *stop_flag = 1;
    struct itimerval grace = {.it_value = {.tv_sec = 0, .tv_usec = STOP_GRACE_USEC}};
    setitimer(ITIMER_REAL, &grace, NULL);
}

void pn_install_stop_handlers(volatile sig_atomic_t *flag)
{
    stop_flag = flag;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sa.sa_handler = on_stop_overdue;
    sigaction(SIGALRM, &sa, NULL);
}
