/* SPDX-License-Identifier: GPL-3.0-or-later */
/* file.c -- reading a whole file into memory, with a bound on its size. */
#include "base/pn_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Grows buf to hold at least one more byte than used, up to max + 2 bytes
 * (one past the bound, so reading it proves the file is too large, and one
 * for the NUL). False when memory runs out. */
static int grow(char **buf, size_t *cap, size_t max)
{
    size_t want = *cap ? *cap * 2 : (size_t)1 << 16;
    if (want > max + 2)
        want = max + 2;
    char *grown = realloc(*buf, want);
    if (!grown)
        return 0;
    *buf = grown;
    *cap = want;
    return 1;
}

pn_status pn_read_file(const char *path, size_t max_bytes, char **data, size_t *len,
                       pn_error *err)
{
    *data = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return pn_fail(err, PN_ERR_IO, "cannot open %s: %s", path, strerror(errno));
    char *buf = NULL;
    size_t n = 0, cap = 0;
    pn_status st = PN_OK;
    while (st == PN_OK && n <= max_bytes && !feof(f) && !ferror(f)) {
        if (n + 1 >= cap && !grow(&buf, &cap, max_bytes))
            st = pn_fail(err, PN_ERR_NOMEM, "out of memory reading %s", path);
        else
            n += fread(buf + n, 1, cap - n - 1, f);
    }
    if (st == PN_OK && ferror(f))
        st = pn_fail(err, PN_ERR_IO, "cannot read %s: %s", path, strerror(errno));
    if (st == PN_OK && n > max_bytes)
        st = pn_fail(err, PN_ERR_USAGE, "%s is larger than %zu bytes", path, max_bytes);
    fclose(f);
    if (st != PN_OK) {
        free(buf);
        return st;
    }
    if (!buf && !grow(&buf, &cap, max_bytes)) /* an empty file still gets its NUL */
        return pn_fail(err, PN_ERR_NOMEM, "out of memory reading %s", path);
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return PN_OK;
}
