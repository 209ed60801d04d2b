/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_json_keys.h -- the vocabulary of the JSON report: its format version, tool name and every key, spelled once. */
#ifndef PN_JSON_KEYS_H
#define PN_JSON_KEYS_H

/* The "format_version" every document is written with: 3 since rows for
 * every k, napping_hosts, the one cost object, a sweep as an object and the
 * tool's version in "tool" (doc/FORMATS.md); counts past
 * PN_JSON_COUNT_DIGITS digits are strings (version 2 was that alone). */
#define PN_JSON_FORMAT_VERSION 3

/* The older version the slice, merge and ledger readers still read. */
#define PN_JSON_FORMAT_VERSION_OLD 1

/* The tool's name: "tool" is this, a space and its version ("powernap_calculator
 * 1.0.0"); version 1 documents have the name alone, which readers accept. */
#define PN_JSON_TOOL_NAME "powernap_calculator"

/* The "tool" every document is written with. */
#define PN_JSON_TOOL PN_JSON_TOOL_NAME " " PN_VERSION

/* Every key of the document, in the order report.c writes them. The
 * top-level keys come first, up to PN_KEY_CHECKSUM (the ledger's own two,
 * "ledger" and "checksum", last; a fleet's, a list of levels' and a load
 * curve's where the question has them); then those inside "slice", inside
 * "load_curve", inside each of "rows", inside "cost" and inside "ledger";
 * then those only a simulation's report has. */
typedef enum pn_json_key_id {
    PN_KEY_FORMAT_VERSION, PN_KEY_TOOL, PN_KEY_HOSTS, PN_KEY_GUESTS_PER_HOST, PN_KEY_FLEET,
    PN_KEY_GUESTS, PN_KEY_LEVELS, PN_KEY_LOAD_CURVE, PN_KEY_MODEL, PN_KEY_ENGINE,
    PN_KEY_KEYSPACE, PN_KEY_SLICE, PN_KEY_SCENARIOS, PN_KEY_COUNTS, PN_KEY_NAPPING_SUMS,
    PN_KEY_ROWS, PN_KEY_EXPECTED_SAVINGS_PERCENT, PN_KEY_COST, PN_KEY_LEDGER, PN_KEY_CHECKSUM,
    /* inside "slice" */
    PN_KEY_SKIP, PN_KEY_LIMIT,
    /* inside "load_curve" */
    PN_KEY_PATH, PN_KEY_TOTAL_HOURS,
    /* inside each of "rows" */
    PN_KEY_NAPPING, PN_KEY_COUNT, PN_KEY_PROBABILITY, PN_KEY_SAVINGS_PERCENT,
    /* inside "cost" */
    PN_KEY_WATTS, PN_KEY_IDLE_WATTS, PN_KEY_PRICE_PER_KWH, PN_KEY_CURRENCY,
    PN_KEY_YEARLY_COST_NO_NAP, PN_KEY_EXPECTED_YEARLY_SAVING,
    /* inside "ledger" */
    PN_KEY_TOOL_VERSION, PN_KEY_FINGERPRINT, PN_KEY_REQUESTED, PN_KEY_RANGES,
    /* a simulation's report only (never read back): top level, then inside
     * each of "rows" and inside "all_loads" */
    PN_KEY_POLICY, PN_KEY_LOAD, PN_KEY_TRAJECTORIES, PN_KEY_TICKS, PN_KEY_BURN_IN,
    PN_KEY_SEED, PN_KEY_OBSERVATIONS, PN_KEY_EXPECTED_SAVINGS_CI95, PN_KEY_TIME_AT_GUESTS,
    PN_KEY_ALL_LOADS, PN_KEY_WAKEUPS_PER_HOST, PN_KEY_WAKEUPS_PER_HOST_CI95,
    PN_KEY_CI95,
    /* report-only keys, which the slice reader never looks for (but "capacity"
     * and "hours", which it reads inside "fleet" and "load_curve"): the
     * packing bound, a fleet's groups, a cost's energy, a load curve's hours */
    PN_KEY_CONSOLIDATION_NAPPING_HOSTS, PN_KEY_CONSOLIDATION_SAVINGS_PERCENT,
    PN_KEY_CAPACITY, PN_KEY_EXPECTED_NAPPING_HOSTS, PN_KEY_EXPECTED_YEARLY_KWH, PN_KEY_HOURS,
    /* format_version 3: each row's napping_hosts (its napping kept until the
     * next version), a simulation's probability_ci95, the cost's members */
    PN_KEY_NAPPING_HOSTS, PN_KEY_PROBABILITY_CI95, PN_KEY_TOTAL_WATTS, PN_KEY_YEAR_SHARE,
    PN_KEY_YEARLY_KWH_NO_NAP,
    PN_JSON_KEYS /* how many keys there are, not a key */
} pn_json_key_id;

/* The name of each key: pn_json_key[PN_KEY_HOSTS] is "hosts". */
extern const char *const pn_json_key[PN_JSON_KEYS];

#endif
