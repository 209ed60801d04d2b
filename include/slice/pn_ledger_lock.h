/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_ledger_lock.h -- one run per ledger: an exclusive lock on the ledger file, carried from each saved version to the next. */
#ifndef PN_LEDGER_LOCK_H
#define PN_LEDGER_LOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "base/pn_status.h"

/* A run's hold on its ledger file. The lock is an flock(2) on the file
 * itself, not on a lock file beside it: nothing is left behind when the run
 * ends or is killed, and a finished ledger in a read-only directory can
 * still be restored. A save renames a new file over the old one, so the new
 * file is locked before it takes the name (pn_ledger_lock_keep), and whoever
 * locks a file checks that it still has the name. */
typedef struct pn_ledger_lock {
    int fd;           /* the ledger file held locked, or -1 (none yet) */
    char *path;       /* where every save goes: the user's path, symlinks resolved */
    uint64_t on_disk; /* scenarios the file at path holds: as read, or as last saved */
} pn_ledger_lock;

#define PN_LEDGER_LOCK_NONE ((pn_ledger_lock){.fd = -1})

/* Takes the lock for the ledger at `path`. A new ledger (--checkpoint,
 * is_new) does not exist yet: its lock comes with its first save (which
 * refuses an existing file), so this only records path. An existing one
 * (--restore) is resolved through symlinks, opened and locked, and
 * PN_ERR_USAGE names it when another run holds it or it cannot be opened.
 * Release with pn_ledger_lock_release, also after a failure. */
pn_status pn_ledger_lock_take(const char *path, bool is_new, pn_ledger_lock *lock,
                              pn_error *err);

/* A save has just given lock->path to the file open as fd, which the saver
 * locked before the rename or link: fd becomes the lock, and the file that
 * had the name before is let go. */
void pn_ledger_lock_keep(pn_ledger_lock *lock, int fd);

/* Lets the ledger go (closing the file unlocks it) and frees the path; safe
 * on PN_LEDGER_LOCK_NONE and twice. */
void pn_ledger_lock_release(pn_ledger_lock *lock);

#endif
