/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_status.h -- status codes and the error buffer every library call fills. */
#ifndef PN_STATUS_H
#define PN_STATUS_H

#include <stddef.h>

/* What went wrong, in the terms main() needs to pick an exit status.
 * Library code never prints or exits: it returns one of these and, when not
 * PN_OK, writes a one-line human message into a pn_error. */
typedef enum pn_status {
    PN_OK = 0,
    PN_ERR_USAGE,       /* bad input from the user: exit 2 */
    PN_ERR_OPENCL,      /* an OpenCL call failed or no platform/device: exit 1 */
    PN_ERR_IO,          /* reading or writing a file or stream failed: exit 1 */
    PN_ERR_NOMEM,       /* an allocation failed: exit 1 */
    PN_ERR_INTERRUPTED, /* SIGINT/SIGTERM stopped the run: exit 130 */
    PN_ERR_MISMATCH,    /* --verify: two engines disagree: exit 3 */
    PN_ERR_SELFTEST     /* a device failed the known-answer self-test: exit 1 */
} pn_status;

#define PN_ERROR_MAX 4096

/* A message buffer; big enough to carry an OpenCL build log excerpt. */
typedef struct pn_error {
    char msg[PN_ERROR_MAX];
} pn_error;

/* Writes a printf-style message into err (when err is not NULL) and returns
 * status, so callers can write `return pn_fail(err, PN_ERR_USAGE, "...")`. */
pn_status pn_fail(pn_error *err, pn_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The symbolic name of a status ("PN_ERR_USAGE"), for logs and tests. */
const char *pn_status_name(pn_status status);

/* The process exit status main() uses for a status: 0, 1, 2, 3 or 130. */
int pn_status_exit_code(pn_status status);

#endif
