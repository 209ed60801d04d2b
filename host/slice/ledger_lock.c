/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ledger_lock.c -- one run per ledger: an exclusive flock on the ledger file, carried from each saved version to the next. */
#define _DEFAULT_SOURCE /* realpath(3), which -D_POSIX_C_SOURCE alone hides */
#include "slice/pn_ledger_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* How often a lock that was taken on a file that has since lost its name
 * (another run saved in between) is tried again on the new file: a run
 * saves every second at most, so a second failure means a live run. */
#define ATTEMPTS 4

/* One attempt: opens path (which the user calls name) and locks it without
 * waiting. PN_OK with *fd holding the lock, or with *fd = -1 when the file
 * lost its name between the open and the lock (another run saved: try
 * again); otherwise the failure. O_NONBLOCK: a FIFO does not hang the open. */
static pn_status lock_once(const char *path, const char *name, int *fd, pn_error *err)
{
    *fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (*fd < 0)
        return pn_fail(err, PN_ERR_USAGE, "cannot open the ledger %s: %s", name, strerror(errno));
    if (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(*fd);
        *fd = -1;
        if (e == EWOULDBLOCK)
            return pn_fail(err, PN_ERR_USAGE, "the ledger %s is in use by another run; a "
                                              "ledger takes one run at a time", name);
        return pn_fail(err, PN_ERR_IO, "cannot lock the ledger %s: %s", name, strerror(e));
    }
    struct stat held, named;
    if (fstat(*fd, &held) != 0 || stat(path, &named) != 0 || held.st_dev != named.st_dev ||
        held.st_ino != named.st_ino) {
        close(*fd);
        *fd = -1;
    }
    return PN_OK;
}

pn_status pn_ledger_lock_take(const char *path, bool is_new, pn_ledger_lock *lock,
                              pn_error *err)
{
    *lock = PN_LEDGER_LOCK_NONE;
    if (is_new) {
        lock->path = strdup(path);
        return lock->path ? PN_OK : pn_fail(err, PN_ERR_NOMEM, "out of memory");
    }
    /* saves go to the file a symlink names, so the link stays a link */
    lock->path = realpath(path, NULL);
    if (!lock->path)
        return errno == ENOMEM ? pn_fail(err, PN_ERR_NOMEM, "out of memory")
                               : pn_fail(err, PN_ERR_USAGE, "cannot open the ledger %s: %s",
                                         path, strerror(errno));
    for (int i = 0; i < ATTEMPTS; i++) {
        pn_status st = lock_once(lock->path, path, &lock->fd, err);
        if (st != PN_OK || lock->fd >= 0)
            return st;
    }
    return pn_fail(err, PN_ERR_USAGE, "the ledger %s is in use by another run; a ledger takes "
                                      "one run at a time", path);
}

void pn_ledger_lock_keep(pn_ledger_lock *lock, int fd)
{
    if (lock->fd >= 0)
        close(lock->fd);
    lock->fd = fd;
}

void pn_ledger_lock_release(pn_ledger_lock *lock)
{
    if (lock->fd >= 0)
        close(lock->fd);
    lock->fd = -1;
    free(lock->path);
    lock->path = NULL;
}
