/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_fleet.h -- the --fleet spec: COUNTxCAPACITY[/MEMORY][@WATTS] groups, comma-separated, into a query's groups. */
#ifndef PN_FLEET_H
#define PN_FLEET_H

#include <stddef.h>

#include "question/pn_query.h"
#include "base/pn_status.h"

/* Parses spec ("8x4,2x16@350") into q->groups and q->ngroups, in the spec's
 * order. Each group is COUNT 'x' CAPACITY, optionally '@' WATTS: COUNT and
 * CAPACITY plain decimal integers (COUNT >= 1), WATTS a plain positive
 * decimal number; CAPACITY may be followed by '/' MEMORY, a plain integer
 * 1..PN_MAX_MEMORY (memory modelled by a replay; 0 in the group when
 * absent). PN_ERR_USAGE with a one-line message naming the group and what
 * is wrong with it (a missing part, a stray character, a number that
 * overflows or passes the limits of pn_query_validate, too many groups);
 * q is unchanged then. */
pn_status pn_fleet_parse(const char *spec, pn_query *q, pn_error *err);

/* Describes a mixed fleet's groups for the text report, e.g.
 * "[8] x [4] guests, [2] x [16] guests @ [350] W", into buf. */
void pn_fleet_describe(const pn_query *q, char *buf, size_t len);

#endif
