/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_trace_sources.h -- where a trace comes from besides the generic CSV: the two Azure traces, a synthetic Poisson stream of flavors, and the CSV a trace is saved as. */
#ifndef PN_TRACE_SOURCES_H
#define PN_TRACE_SOURCES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/pn_status.h"
#include "replay/pn_trace.h"

/* Seconds in one day of the Azure packing trace's times. */
#define PN_TRACE_SECONDS_PER_DAY 86400.0

/* The sizes the Azure VM table's open buckets stand for: the next step of
 * each bucket ladder (cores 2, 4, 8, 12, 24, then ">24" as 30; memory GB
 * 2, 4, 8, 32, 64, then ">64" as 70). A lower bound would be just as
 * arbitrary; one step up keeps the biggest VMs the biggest. */
#define PN_VMTABLE_OPEN_CORES 30.0
#define PN_VMTABLE_OPEN_MEMORY_GB 70.0

/* Most flavors a --flavors mix may name. */
#define PN_FLAVORS_MAX 64

/* The most VMs pn_trace_generate expects to draw (rate x duration x the
 * curve's peak): beyond it the trace would not fit in memory anyway. */
#define PN_TRACE_GENERATE_MAX 100000000.0

/* True when path is a regular file whose first 16 bytes are SQLite's header
 * "SQLite format 3\0": the Azure packing trace rather than a CSV. False for
 * anything else, including a file that cannot be opened. Never blocks on a
 * FIFO. */
bool pn_trace_file_is_sqlite(const char *path);

/* Reads the Azure packing trace 2020 (SQLite) at path into trace (which
 * must be empty, pn_trace_init) for the machine type machine_id: table
 * vm(vmId, tenantId, vmTypeId, priority, starttime, endtime), times in days
 * (converted to seconds, negative starts before the trace's window kept),
 * and table vmType(id, vmTypeId, machineId, core, memory, ...), sizes as
 * fractions of one machine. A VM's cores and memory are its type's core and
 * memory on machine_id; a VM whose type has no row for machine_id is left
 * out and counted in trace->skipped. A NULL endtime means still running at
 * the end of the trace: the largest starttime or endtime of the whole vm
 * table (skipped VMs included). VMs come in the order starttime, then vmId;
 * origin is the vmId; has_memory is true. PN_ERR_USAGE naming the path and
 * what is wrong: not a regular file, no SQLite header, a damaged database,
 * a missing table or column, two vmType rows for one type on this machine,
 * or a VM (named by its vmId) with a NULL or non-numeric time, end <= start,
 * or a size that is not a positive core and a non-negative memory.
 * PN_ERR_NOMEM, PN_ERR_IO for what the system refused. On failure the
 * trace is left empty. */
pn_status pn_trace_read_azure_packing(const char *path, int64_t machine_id, pn_trace *trace,
                                      pn_error *err);

/* Reads an Azure public dataset VM table (vmtable.csv, the 2017 and 2019
 * layouts, no header line; "-" reads standard input, which a zcat can feed)
 * into trace (which must be empty): eleven comma-separated columns, vm id,
 * subscription id, deployment id, created (s), deleted (s), max cpu, avg
 * cpu, p95 max cpu, category, core count bucket, memory GB bucket. A VM's
 * start and end are created and deleted (plain non-negative decimals; an
 * empty deleted means still running at the end of the table, its largest
 * time), its cores and memory the buckets: a plain decimal taken as it is,
 * ">24" cores as PN_VMTABLE_OPEN_CORES and ">64" GB as
 * PN_VMTABLE_OPEN_MEMORY_GB. The other columns are not read beyond being
 * counted; a field may be quoted ("...", "" for a quote). origin is the
 * line; has_memory is true; CRLF and blank lines are allowed.
 * PN_ERR_USAGE "PATH:LINE:COLUMN: what is wrong" for a bad row (a column
 * too few or too many, a time or bucket that is not a plain number, NaN,
 * a negative or infinite value, zero cores, deleted <= created, a NUL
 * byte, a line over 64 KiB), and PN_ERR_USAGE naming the path when it is
 * missing, not a regular file (a directory, a FIFO, /dev/zero), or holds no
 * rows. PN_ERR_IO when reading fails midway, PN_ERR_NOMEM. On failure the
 * trace is left empty. */
pn_status pn_trace_read_azure_vmtable(const char *path, pn_trace *trace, pn_error *err);

/* A mix of VM sizes: flavor i has cores[i] (and memory[i] when has_memory)
 * and arrives with probability probability[i]; the probabilities add up to
 * 1. */
typedef struct pn_flavors {
    size_t n;
    bool has_memory;
    double cores[PN_FLAVORS_MAX];
    double memory[PN_FLAVORS_MAX];
    double probability[PN_FLAVORS_MAX];
} pn_flavors;

/* Parses a --flavors mix, comma-separated CORES:PROBABILITY items
 * ("1:0.5,2:0.3,4:0.2"), or CORES/MEMORY:PROBABILITY items ("1/2:0.5,..."),
 * all with memory or none. CORES is a plain positive decimal, MEMORY a plain
 * non-negative decimal, PROBABILITY a plain decimal in [0, 1]; the
 * probabilities must add up to 1 within 1e-9. PN_ERR_USAGE with a one-line
 * message starting "--flavors" and naming the item and what is wrong (a
 * missing part, a stray character, a bad number, memory on some items only,
 * more than PN_FLAVORS_MAX items, a sum that is not 1); *flavors is
 * unchanged then. */
pn_status pn_flavors_parse(const char *text, pn_flavors *flavors, pn_error *err);

/* What pn_trace_generate draws from. hourly, when not NULL, is 24 rate
 * multipliers, one per hour of the day (hour h covers [3600h, 3600(h+1))
 * seconds modulo 86400): finite, non-negative, at least one positive. */
typedef struct pn_trace_spec {
    double arrivals_per_hour; /* the Poisson rate before the hourly multiplier */
    double lifetime_seconds;  /* the mean of the exponential lifetimes */
    double duration_seconds;  /* arrivals fall in [0, duration) */
    const pn_flavors *flavors;
    uint64_t seed;
    const double *hourly;     /* NULL: a constant rate */
} pn_trace_spec;

/* Fills trace (which must be empty) with a synthetic trace: a Poisson
 * stream of arrivals in [0, duration) at arrivals_per_hour (scaled by
 * hourly[hour of the day] when given), each VM living an exponential time
 * of mean lifetime_seconds (a departure may fall after the duration) and
 * drawing its size from the flavors. VMs come in arrival order, origin 0,
 * has_memory as the flavors.
 *
 * Randomness: Philox4x32-10 (Random123) under the key {seed low 32 bits,
 * seed high 32 bits}. Candidate arrival i (0, 1, 2, ...) uses the two blocks
 * at counters {i low, i high, 0, 0} and {i low, i high, 1, 0}. From the
 * first block, words 0 and 1 (word 1 high) make the 64-bit number behind the
 * gap to the previous candidate, words 2 and 3 the lifetime's; from the
 * second, words 0 and 1 the flavor's, words 2 and 3 the thinning draw's. A
 * 64-bit number x becomes u = ((x >> 11) + 0.5) / 2^53 in (0, 1) for the
 * exponentials (gap = -log(u) / peak rate per second, lifetime = -log(u) *
 * mean) and v = (x >> 11) / 2^53 in [0, 1) otherwise: the flavor is the
 * first whose running sum of probabilities exceeds v (the last when none
 * does), and with an hourly curve the candidate is kept when v <
 * hourly[hour] / max(hourly) (thinning; the peak rate is the rate times
 * max(hourly)). So a seed gives the same random words everywhere, the
 * first VMs do not depend on the duration, and the trace is the same bit
 * for bit wherever log() rounds alike (pn_trace_write_csv keeps it exactly
 * for any other machine). A lifetime that rounds to nothing ends at the
 * next double after its start.
 *
 * PN_ERR_USAGE naming what is wrong when a number is not finite and
 * positive, the flavors are missing or empty, the hourly curve is bad, or
 * the expected count passes PN_TRACE_GENERATE_MAX; PN_ERR_NOMEM. On failure
 * the trace is left empty. */
pn_status pn_trace_generate(const pn_trace_spec *spec, pn_trace *trace, pn_error *err);

/* Writes trace as the generic CSV the replay reads: the header
 * "start,end,cores" (",memory" added when trace->has_memory), then one row
 * per VM in order, LF line ends. Each number is the shortest of %.15g,
 * %.16g, %.17g that strtod reads back as the same double, so a trace
 * replays bit for bit. path "-" writes to standard output. PN_ERR_USAGE
 * when a VM holds a value that is not finite (the CSV could not carry it);
 * PN_ERR_IO naming the path and the system's reason when it cannot be
 * created or written (a file written to a path is removed again then). */
pn_status pn_trace_write_csv(const pn_trace *trace, const char *path, pn_error *err);

/* Formats x into buf (at least 32 bytes) as the shortest of %.15g, %.16g,
 * %.17g that strtod reads back exactly; the number of characters. For
 * finite x only. */
int pn_trace_format_double(double x, char *buf, size_t len);

#endif
