/* pn_query.h -- the question being asked: hosts, guests per host, guests, model, slice. */
#ifndef PN_QUERY_H
#define PN_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pn_status.h"

/* Bounds that keep every engine's arithmetic inside 64-bit words (the exact
 * engine multiplies by values up to hosts*per_host). */
#define PN_MAX_HOSTS 1000000ULL
#define PN_MAX_PER_HOST 1000000ULL

/* Which scenarios are equally likely.
 * UNIFORM: every distinct vector (x_1..x_h), 0 <= x_i <= p, sum g (the 2009 model).
 * SLOTS:   every set of g occupied slots among h*p slots, so a vector counts
 *          with weight prod C(p, x_i). */
typedef enum pn_model { PN_MODEL_UNIFORM = 0, PN_MODEL_SLOTS } pn_model;

typedef struct pn_query {
    uint64_t hosts;    /* h >= 1 */
    uint64_t per_host; /* p: most guests one host runs */
    uint64_t guests;   /* g <= h*p */
    pn_model model;
    /* Enumerating engines only: examine indices [skip, skip+limit) of the
     * (p+1)^h keyspace. limit == 0 with sliced == false means "to the end". */
    bool sliced;
    uint64_t skip;
    uint64_t limit;
} pn_query;

/* Checks the values a user supplied: h >= 1, h and p within the PN_MAX_*
 * bounds, g <= h*p. On failure returns PN_ERR_USAGE with a message naming the
 * problem. Does not check the keyspace (only enumerating engines need that). */
pn_status pn_query_validate(const pn_query *q, pn_error *err);

/* Stores (p+1)^h in *out and returns PN_OK when it is below 2^64; otherwise
 * returns PN_ERR_USAGE saying how large it is (e.g. "5^40, about 9.1e27"). */
pn_status pn_query_keyspace(const pn_query *q, uint64_t *out, pn_error *err);

/* Writes the keyspace as people read it, e.g. "5^10 = 9765625" or, past
 * 2^64, "17^1000 (about 1.2e1230)", into buf. */
void pn_query_keyspace_text(const pn_query *q, char *buf, size_t len);

/* The range an enumerating engine examines: [*first, *first + *count). Checks
 * the keyspace and that the slice lies inside it; PN_ERR_USAGE otherwise. For
 * the slots model also checks that C(h*p, g) < 2^64, so no 64-bit count of
 * weighted scenarios can overflow. */
pn_status pn_query_enumeration_range(const pn_query *q, uint64_t *first,
                                     uint64_t *count, pn_error *err);

/* "uniform" / "slots". */
const char *pn_model_name(pn_model model);

/* Parses "uniform" or "slots"; returns false for anything else. */
bool pn_model_parse(const char *text, pn_model *out);

#endif
