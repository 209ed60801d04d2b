/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_file.h -- reading a whole file into memory, with a bound on its size. */
#ifndef PN_FILE_H
#define PN_FILE_H

#include <stddef.h>

#include "base/pn_status.h"

/* Reads all of `path` (a regular file, a pipe, a device) into a fresh
 * buffer *data of *len bytes, which the caller frees; *data is NUL-terminated
 * one byte past *len, for convenience. PN_ERR_IO naming the file and the
 * system's reason when it cannot be opened or read (a directory reads as
 * "Is a directory"), PN_ERR_USAGE when it holds more than max_bytes,
 * PN_ERR_NOMEM when memory runs out. *data is NULL after any failure. */
pn_status pn_read_file(const char *path, size_t max_bytes, char **data, size_t *len,
                       pn_error *err);

#endif
