/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_terminal.c -- the progress line on a real terminal (a pseudo-terminal): it never outgrows the width. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <pty.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

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
