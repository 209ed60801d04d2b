/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_progress.h -- how a long run reports progress and learns it must stop. */
#ifndef PN_PROGRESS_H
#define PN_PROGRESS_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#define PN_PROGRESS_MAX_DEVICES 16

/* A snapshot an engine hands to the progress callback between chunks. */
typedef struct pn_progress_report {
    const char *unit;  /* what done/total count, plural ("levels"); NULL: scenarios */
    /* done/total count the engine's own work (GMP words, polynomial
     * products), which mean nothing to a user: shown as a share and an ETA,
     * never as counts or a rate */
    bool internal;
    uint64_t done;     /* units finished (scenarios for enumerating engines) */
    uint64_t total;    /* units in the whole run */
    double rate;       /* aggregate units per second so far */
    unsigned devices;  /* entries used in device_rate and device_done (0 when not per-device) */
    double device_rate[PN_PROGRESS_MAX_DEVICES]; /* units/s of each device while it worked */
    uint64_t device_done[PN_PROGRESS_MAX_DEVICES]; /* units each device finished */
    unsigned device_base; /* the number shown for device_rate[0] (MPI: 1, the first worker rank) */
} pn_progress_report;

/* Called by an engine between chunks of work. The library never prints;
 * main() decides whether (and where) this draws anything. */
typedef void (*pn_progress_fn)(void *ctx, const pn_progress_report *report);

typedef struct pn_progress {
    pn_progress_fn update; /* may be NULL */
    void *ctx;
    /* Set (by a signal handler in main) to ask the engine to stop; an engine
     * checks it at least every ~100 ms of work and returns PN_ERR_INTERRUPTED
     * with a message saying how far it got. May be NULL. */
    volatile sig_atomic_t *cancel;
} pn_progress;

#endif
