/* slice_doc.h -- private to slice*.c: a slice or ledger document as read, before it is checked. */
#ifndef PN_SLICE_DOC_H
#define PN_SLICE_DOC_H

#include <gmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "slice/pn_json.h"
#include "slice/pn_json_keys.h"
#include "slice/pn_slice.h"

/* The top-level keys are the first ids of pn_json_key_id, one bit each in doc.seen. */
#define TOP_KEYS (PN_KEY_CHECKSUM + 1)
#define BIT(k) (1u << (k))
#define REQUIRED_KEYS                                                                   \
    (BIT(PN_KEY_FORMAT_VERSION) | BIT(PN_KEY_HOSTS) | BIT(PN_KEY_GUESTS_PER_HOST) |     \
     BIT(PN_KEY_GUESTS) | BIT(PN_KEY_MODEL) | BIT(PN_KEY_KEYSPACE) | BIT(PN_KEY_COUNTS))
/* A slice names its one range in "slice"; a ledger its ranges in "ledger". */
#define RANGE_KEYS (BIT(PN_KEY_SLICE) | BIT(PN_KEY_LEDGER))

/* The short strings we compare (tool, model) are decoded into buffers this
 * big; anything longer cannot be a name we know. */
#define SHORT_STRING 32

/* The counts array as read, before we know how many hosts there are. */
typedef struct count_list {
    mpz_t *item;
    size_t n, cap;
} count_list;

/* Everything the document said, plus the byte offset of each top-level value
 * so a later consistency check can point at it. */
typedef struct doc {
    pn_error *err;
    unsigned seen;
    size_t at[TOP_KEYS];
    uint64_t format_version, hosts, per_host, guests, keyspace;
    pn_model model;
    bool has_skip, has_limit;
    pn_range range; /* the one range of "slice": {skip, limit}; a ledger's "requested" */
    /* a ledger's */
    char tool_version[SHORT_STRING], fingerprint[PN_SLICE_FINGERPRINT_LEN];
    bool has_requested;
    size_t nranges, cap;
    pn_range *ranges;
    char checksum[80];
    char engine[256];
    mpz_t scenarios;
    count_list counts;
} doc;

/* The member callback for the document's top-level object: known keys are
 * read into the doc (ctx), each at most once, unknown ones skipped. */
pn_status pn_slice_doc_member(pn_json *j, void *ctx, const char *key, size_t len);

#endif
