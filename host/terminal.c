/* terminal.c -- the progress line on stderr and the Ctrl-C handler; the only library file that draws. */
#include "pn_terminal.h"

#include <math.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pn_duration.h"

#define REDRAW_SECONDS 0.2

void pn_progress_line_init(pn_progress_line *line, FILE *stream, bool quiet)
{
    memset(line, 0, sizeof *line);
    line->stream = stream;
    line->enabled = !quiet && isatty(fileno(stream));
    line->started = line->last_draw = pn_now_seconds();
}

/* " dev0 1.2 G/s, dev1 3.4 G/s" when an engine reports per-device rates. */
static void format_devices(const pn_progress_report *r, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    if (r->devices < 2)
        return;
    for (unsigned d = 0; d < r->devices && d < PN_PROGRESS_MAX_DEVICES && used < len; d++) {
        char rate[32];
        pn_format_rate(r->device_rate[d], rate, sizeof rate);
        used += (size_t)snprintf(buf + used, len - used, "%s#%u %s/s", d ? ", " : " [", d, rate);
    }
    if (used < len)
        snprintf(buf + used, len - used, "]");
}

void pn_progress_line_update(void *ctx, const pn_progress_report *r)
{
    pn_progress_line *line = ctx;
    double now = pn_now_seconds();
    if (!line->enabled || now - line->last_draw < REDRAW_SECONDS || r->total == 0)
        return;
    line->last_draw = now;
    char rate[32], eta[64], devices[256];
    pn_format_rate(r->rate, rate, sizeof rate);
    double left = r->rate > 0 ? (double)(r->total - r->done) / r->rate : INFINITY;
    pn_format_duration(left, eta, sizeof eta);
    format_devices(r, devices, sizeof devices);
    fprintf(line->stream, "\r\033[KCalculating... %.1f%% (%llu/%llu), %s %s/s%s, ETA %s",
            100.0 * (double)r->done / (double)r->total, (unsigned long long)r->done,
            (unsigned long long)r->total, rate, r->unit ? r->unit : "scenarios", devices, eta);
    fflush(line->stream);
    line->drawn = true;
}

void pn_progress_line_finish(pn_progress_line *line)
{
    if (line->drawn) {
        fprintf(line->stream, "\r\033[K");
        fflush(line->stream);
        line->drawn = false;
    }
}

/* A handler may only touch a volatile sig_atomic_t; sigaction's context
 * cannot carry a pointer, so the flag's address waits in this one static,
 * written once before the handlers are installed. */
static volatile sig_atomic_t *stop_flag;

static void on_stop_signal(int sig)
{
    (void)sig;
    if (stop_flag)
        *stop_flag = 1;
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
}
