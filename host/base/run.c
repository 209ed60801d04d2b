/* SPDX-License-Identifier: GPL-3.0-or-later */
/* run.c -- the notes a run collects for main() to show. */
#include "base/pn_run.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void pn_run_note(pn_run *run, const char *fmt, ...)
{
    size_t used = strlen(run->notes);
    if (used + 1 >= sizeof run->notes)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(run->notes + used, sizeof run->notes - used - 1, fmt, ap);
    va_end(ap);
    used = strlen(run->notes);
    run->notes[used] = '\n';
    run->notes[used + 1] = '\0';
}
