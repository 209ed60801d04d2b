/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_terminal.c -- the progress line: its text for a given width, on a real terminal (a pseudo-terminal) it never outgrows, and status lines for a log. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <pty.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/pn_progress_text.h"
#include "cli/pn_terminal.h"

/* Draws one progress report with many devices (the longest line there is)
 * on a terminal `columns` wide and returns the longest line it printed,
 * escape sequences left out. */
static size_t drawn_width(unsigned short columns)
{
    int master, slave;
    struct winsize ws = {.ws_row = 24, .ws_col = columns};
    cr_assert_eq(openpty(&master, &slave, NULL, NULL, &ws), 0);
    FILE *tty = fdopen(slave, "w");
    cr_assert_not_null(tty);
    pn_progress_line line;
    pn_progress_line_init(&line, tty, false);
    cr_assert(line.enabled, "a pseudo-terminal is a terminal");
    line.last_draw = 0; /* draw now */
    pn_progress_report r = {.done = 123456789012ULL, .total = 987654321098ULL, .rate = 1.5e10,
                            .devices = 8};
    for (unsigned d = 0; d < 8; d++)
        r.device_rate[d] = 1.1e10;
    pn_progress_line_update(&line, &r);
    fflush(tty);
    char buf[4096];
    ssize_t n = read(master, buf, sizeof buf - 1);
    cr_assert_gt(n, 0);
    buf[n] = '\0';
    fclose(tty);
    close(master);
    /* the text after the last "\033[K" (erase to end of line) is what shows */
    char *shown = strstr(buf, "\033[K");
    cr_assert_not_null(shown, "%s", buf);
    shown += 3;
    return strcspn(shown, "\r\n");
}

Test(terminal, progress_line_fits_the_terminal_width)
{
    cr_assert_leq(drawn_width(40), 39);
    cr_assert_leq(drawn_width(80), 79);
    size_t wide = drawn_width(300);
    cr_assert_gt(wide, 79, "a wide terminal shows the whole line (%zu)", wide);
}

/* 12.5% of 987654321098 scenarios at 1.5e10/s on two devices, 42 s in:
 * 864197532086 left take 57.6 s. */
static const pn_progress_report WIDE = {.done = 123456789012ULL, .total = 987654321098ULL,
                                        .rate = 1.5e10, .devices = 2,
                                        .device_rate = {1.1e10, 4e9}};

/* The text of WIDE for `width` columns, checked to fit. */
static void assert_fitted(size_t width, const char *want)
{
    char buf[512];
    size_t n = pn_progress_format(&WIDE, 42, "Calculating...", width, buf, sizeof buf);
    cr_assert_str_eq(buf, want, "at %zu columns", width);
    cr_assert_eq(n, strlen(want));
    cr_assert_leq(n, width);
}

/* Fields go least important first: device rates, counts, rate, elapsed
 * time, label, ETA; the share stays. The full line is 121 characters. */
Test(terminal, a_narrow_line_drops_the_least_important_fields_first)
{
    static const char full[] = "Calculating... 12.5% (123456789012/987654321098), 15.00 G "
                               "scenarios/s, elapsed 42 s, ETA 58 s [#0 11.00 G/s, #1 4.00 G/s]";
    cr_assert_eq(strlen(full), 121);
    assert_fitted(PN_PROGRESS_ANY_WIDTH, full);
    assert_fitted(121, full);
    assert_fitted(120, "Calculating... 12.5% (123456789012/987654321098), 15.00 G scenarios/s, "
                       "elapsed 42 s, ETA 58 s");
    assert_fitted(92, "Calculating... 12.5%, 15.00 G scenarios/s, elapsed 42 s, ETA 58 s");
    assert_fitted(79, "Calculating... 12.5%, 15.00 G scenarios/s, elapsed 42 s, ETA 58 s");
    assert_fitted(64, "Calculating... 12.5%, elapsed 42 s, ETA 58 s");
    assert_fitted(43, "Calculating... 12.5%, ETA 58 s");
    assert_fitted(29, "12.5%, ETA 58 s");
    assert_fitted(14, "12.5%");
    assert_fitted(3, "12.");
}

/* An engine's own work units (the exact engine's words) show as a share
 * and times only; a sweep's levels and a rate below 10 read as such; no
 * ETA before anything is done. */
Test(terminal, units_people_read)
{
    char buf[256];
    pn_progress_report words = {.unit = "words", .internal = true, .done = 1, .total = 4,
                                .rate = 2};
    pn_progress_format(&words, 0.5, "Calculating...", 200, buf, sizeof buf);
    cr_assert_str_eq(buf, "Calculating... 25.0%, elapsed 0.5 s, ETA 1.5 s");
    pn_progress_report levels = {.unit = "levels", .done = 3, .total = 4801, .rate = 2.5};
    pn_progress_format(&levels, 1.2, "Calculating...", 200, buf, sizeof buf);
    cr_assert_str_eq(buf, "Calculating... 0.1% (3/4801), 2.5 levels/s, elapsed 1.2 s, ETA 32 min");
    pn_progress_report none = {.done = 0, .total = 10};
    pn_progress_format(&none, 0, NULL, 200, buf, sizeof buf);
    cr_assert_str_eq(buf, "0.0% (0/10), 0.0 scenarios/s, elapsed 0.0 s");
    pn_progress_report fast = {.done = 5, .total = 10, .rate = 2.5e6};
    pn_progress_format(&fast, 3, "progress:", 200, buf, sizeof buf);
    cr_assert_str_eq(buf, "progress: 50.0% (5/10), 2.50 M scenarios/s, elapsed 3.0 s, ETA 0.0 s");
}

/* A terminal that does not say its width: $COLUMNS does. */
Test(terminal, columns_from_the_environment)
{
    setenv("COLUMNS", "50", 1);
    size_t shown = drawn_width(0);
    unsetenv("COLUMNS");
    cr_assert_leq(shown, 49);
    cr_assert_gt(shown, 0);
}

/* stderr into a file (a log): whole lines, one every status_every seconds,
 * never a carriage return or an escape sequence; none when quiet or with
 * status_every 0. */
Test(terminal, a_log_gets_whole_status_lines)
{
    FILE *log = tmpfile();
    pn_progress_line line;
    pn_progress_line_init(&line, log, false);
    cr_assert(!line.enabled && line.logged);
    cr_assert(line.status_every == PN_STATUS_EVERY_DEFAULT);
    line.status_every = 3600;
    line.last_status -= 3600; /* one interval gone by */
    pn_progress_report r = {.done = 5, .total = 10, .rate = 2.5e6};
    pn_progress_line_update(&line, &r);
    pn_progress_line_update(&line, &r); /* within the interval: nothing */
    pn_progress_line_finish(&line);
    fflush(log);
    rewind(log);
    char text[512] = "";
    size_t n = fread(text, 1, sizeof text - 1, log);
    text[n] = '\0';
    static const char start[] = "powernap_calculator: progress: 50.0% (5/10), 2.50 M "
                                "scenarios/s, elapsed ";
    cr_assert_eq(strncmp(text, start, strlen(start)), 0, "%s", text);
    cr_assert(strstr(text, ", ETA 0.0 s\n"), "%s", text);
    cr_assert_eq(strchr(text, '\n'), text + n - 1, "one line: %s", text);
    cr_assert_null(strpbrk(text, "\r\033"), "%s", text);
    fclose(log);

    log = tmpfile();
    pn_progress_line_init(&line, log, true);
    line.last_status -= 3600;
    pn_progress_line_update(&line, &r);
    pn_progress_line_init(&line, log, false);
    line.status_every = 0;
    line.last_status -= 3600;
    pn_progress_line_update(&line, &r);
    cr_assert_eq(ftell(log), 0, "quiet, or status_every 0: nothing");
    fclose(log);
}
