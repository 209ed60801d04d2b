/* pn_json_keys.h -- the vocabulary of the JSON report: its format version, tool name and every key, spelled once. */
#ifndef PN_JSON_KEYS_H
#define PN_JSON_KEYS_H

/* The "format_version" report.c writes and the slice reader accepts. */
#define PN_JSON_FORMAT_VERSION 1

/* The "tool" report.c writes and the slice reader accepts. */
#define PN_JSON_TOOL "powernap_calculator"

/* Every key of the document, in the order report.c writes them. The
 * top-level keys come first, up to PN_KEY_COST; then those inside "slice",
 * inside each of "rows" and inside "cost". */
typedef enum pn_json_key_id {
    PN_KEY_FORMAT_VERSION, PN_KEY_TOOL, PN_KEY_HOSTS, PN_KEY_GUESTS_PER_HOST, PN_KEY_GUESTS,
    PN_KEY_MODEL, PN_KEY_ENGINE, PN_KEY_KEYSPACE, PN_KEY_SLICE, PN_KEY_SCENARIOS,
    PN_KEY_COUNTS, PN_KEY_ROWS, PN_KEY_EXPECTED_SAVINGS_PERCENT, PN_KEY_COST,
    /* inside "slice" */
    PN_KEY_SKIP, PN_KEY_LIMIT,
    /* inside each of "rows" */
    PN_KEY_NAPPING, PN_KEY_COUNT, PN_KEY_PROBABILITY, PN_KEY_SAVINGS_PERCENT,
    /* inside "cost" */
    PN_KEY_WATTS, PN_KEY_IDLE_WATTS, PN_KEY_PRICE_PER_KWH, PN_KEY_CURRENCY,
    PN_KEY_YEARLY_COST_NO_NAP, PN_KEY_EXPECTED_YEARLY_SAVING,
    /* report-only keys, which the slice reader never looks for: the packing
     * bound, a fleet's groups, a cost's energy, a load curve's hours */
    PN_KEY_CONSOLIDATION_NAPPING_HOSTS, PN_KEY_CONSOLIDATION_SAVINGS_PERCENT, PN_KEY_FLEET,
    PN_KEY_CAPACITY, PN_KEY_EXPECTED_NAPPING_HOSTS, PN_KEY_EXPECTED_YEARLY_KWH, PN_KEY_LOAD_CURVE,
    PN_KEY_HOURS, PN_KEY_LEVELS,
    PN_JSON_KEYS /* how many keys there are, not a key */
} pn_json_key_id;

/* The name of each key: pn_json_key[PN_KEY_HOSTS] is "hosts". */
extern const char *const pn_json_key[PN_JSON_KEYS];

#endif
