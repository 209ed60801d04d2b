/* SPDX-License-Identifier: GPL-3.0-or-later */
/* status.c -- filling the error buffer and mapping statuses to names and exit codes. */
#include "base/pn_status.h"

#include <stdarg.h>
#include <stdio.h>

pn_status pn_fail(pn_error *err, pn_status status, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return status;
}

/* No default: -Wswitch then flags a status nobody named (curl's strerror.c). */
const char *pn_status_name(pn_status status)
{
    switch (status) {
    case PN_OK: return "PN_OK";
    case PN_ERR_USAGE: return "PN_ERR_USAGE";
    case PN_ERR_OPENCL: return "PN_ERR_OPENCL";
    case PN_ERR_IO: return "PN_ERR_IO";
    case PN_ERR_NOMEM: return "PN_ERR_NOMEM";
    case PN_ERR_INTERRUPTED: return "PN_ERR_INTERRUPTED";
    case PN_ERR_MISMATCH: return "PN_ERR_MISMATCH";
    case PN_ERR_SELFTEST: return "PN_ERR_SELFTEST";
    }
    return "PN_ERR_UNKNOWN";
}

int pn_status_exit_code(pn_status status)
{
    switch (status) {
    case PN_OK: return 0;
    case PN_ERR_USAGE: return 2;
    case PN_ERR_MISMATCH: return 3;
    case PN_ERR_INTERRUPTED: return 130;
    case PN_ERR_OPENCL:
    case PN_ERR_IO:
    case PN_ERR_NOMEM:
    case PN_ERR_SELFTEST: return 1;
    }
    return 1;
}
