/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trace_source_open.h -- opening a trace file the user named: regular files only, so a directory, a FIFO or /dev/zero is refused before a byte is read. */
#ifndef PN_TRACE_SOURCE_OPEN_H
#define PN_TRACE_SOURCE_OPEN_H

#include <stdio.h>

#include "base/pn_status.h"

/* Opens path for reading into *file when it is a regular file. Opening does
 * not block on a FIFO (O_NONBLOCK, cleared again once it is known to be a
 * regular file). PN_ERR_USAGE "PATH: REASON" when it cannot be opened
 * (missing, no permission) or is not a regular file (a directory, a FIFO,
 * a device): the user named a wrong file. *file is NULL after a failure. */
pn_status pn_trace_source_open(const char *path, FILE **file, pn_error *err);

#endif
