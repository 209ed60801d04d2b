/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trace_source_open.c -- opening a trace file the user named, refusing anything but a regular file. */
#include "trace_source_open.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a file that is not a regular one is, in a user's words. */
static const char *kind_of(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "a device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "something other than a file";
}

pn_status pn_trace_source_open(const char *path, FILE **file, pn_error *err)
{
    *file = NULL;
    /* O_NONBLOCK: a FIFO with no writer would otherwise hang the open */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return pn_fail(err, PN_ERR_USAGE, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return pn_fail(err, PN_ERR_USAGE, "%s: %s", path, strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return pn_fail(err, PN_ERR_USAGE, "%s: is %s; a trace must be a regular file", path, kind_of(st.st_mode));
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0 || !(*file = fdopen(fd, "rb"))) {
        int e = errno;
        close(fd);
        return pn_fail(err, PN_ERR_IO, "%s: %s", path, strerror(e));
    }
    return PN_OK;
}
