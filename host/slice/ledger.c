/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ledger.c -- a long run's ledger: ranges done and their counts, written as JSON with a checksum and saved atomically. */
#include "slice/pn_ledger.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "slice/pn_json_keys.h"
#include "slice/pn_question_doc.h"
#include "opencl/pn_kernel_source.h"
#include "base/pn_hash.h"

#ifndef PN_VERSION
#define PN_VERSION "unknown"
#endif

/* What a fleet, a list of levels and a load curve's hours add to the
 * fingerprint (a homogeneous question of one level adds nothing, so its
 * fingerprint is what it always was). */
static void fingerprint_more(pn_sha256_ctx *s, const pn_query *q)
{
    char text[128];
    for (unsigned j = 0; q->per_host_bases && j < q->ngroups; j++) {
        int n = snprintf(text, sizeof text, "fleet|%llu|%llu|%.17g|",
                         (unsigned long long)q->groups[j].count,
                         (unsigned long long)q->groups[j].capacity, q->groups[j].watts);
        pn_sha256_update(s, text, (size_t)n);
    }
    const pn_levels *lv = &q->levels;
    for (size_t i = 0; lv->listed && i < lv->n; i++) {
        int n = lv->hours ? snprintf(text, sizeof text, "level|%llu|%.17g|",
                                     (unsigned long long)pn_levels_at(lv, i), lv->hours[i])
                          : snprintf(text, sizeof text, "level|%llu|",
                                     (unsigned long long)pn_levels_at(lv, i));
        pn_sha256_update(s, text, (size_t)n);
    }
    if (lv->listed && lv->hours) {
        int n = snprintf(text, sizeof text, "hours|%.17g|", lv->total_hours);
        pn_sha256_update(s, text, (size_t)n);
    }
}

/* What changes the answer, hashed: model, hosts, guests per host, guests, the
 * requested range, a mixed fleet's groups (counts, capacities, watts), a
 * list of levels (and a load curve's hours) and the kernel source. Two runs
 * may share a ledger only when their fingerprints are equal. */
static void fingerprint_of(const pn_query *q, char out[PN_FINGERPRINT_LEN])
{
    char text[256];
    int n = snprintf(text, sizeof text, "%s|%llu|%llu|%llu|%llu|%llu|", pn_model_name(q->model),
                     (unsigned long long)q->hosts, (unsigned long long)q->per_host,
                     (unsigned long long)q->guests, (unsigned long long)q->first,
                     (unsigned long long)q->count);
    pn_sha256_ctx s;
    pn_sha256_init(&s);
    pn_sha256_update(&s, text, (size_t)n);
    fingerprint_more(&s, q);
    pn_sha256_update(&s, pn_kernel_source, pn_kernel_source_len);
    unsigned char d[PN_SHA256_BYTES];
    pn_sha256_final(&s, d);
    pn_sha256_hex(d, out);
}

pn_status pn_ledger_init(pn_ledger *l, const pn_query *q, pn_error *err)
{
    memset(l, 0, sizeof *l);
    pn_status st = pn_query_enumeration_range(q, &(uint64_t){0}, &(uint64_t){0}, err);
    if (st != PN_OK)
        return st;
    l->query = *q;
    fingerprint_of(q, l->fingerprint);
    st = pn_levels_copy(&l->query.levels, &q->levels, err); /* the ledger's own */
    if (st == PN_OK)
        st = pn_histograms_init(&l->hists, &l->query, err);
    return st;
}

pn_status pn_ledger_set_load_curve(pn_ledger *l, const char *path, pn_error *err)
{
    free(l->load_curve);
    l->load_curve = path ? strdup(path) : NULL;
    return path && !l->load_curve ? pn_fail(err, PN_ERR_NOMEM, "out of memory for a path")
                                  : PN_OK;
}

void pn_ledger_clear(pn_ledger *l)
{
    pn_histograms_free(l->hists, l->hists ? l->query.levels.n : 0);
    l->hists = NULL;
    pn_levels_clear(&l->query.levels);
    free(l->load_curve);
    l->load_curve = NULL;
    free(l->ranges);
    l->ranges = NULL;
    l->nranges = l->cap = 0;
}

uint64_t pn_ledger_done(const pn_ledger *l)
{
    uint64_t done = 0;
    for (size_t i = 0; i < l->nranges; i++)
        done += l->ranges[i].count;
    return done;
}

/* Index of the first range that ends after `at` (nranges when none). */
static size_t first_ending_after(const pn_ledger *l, uint64_t at)
{
    size_t i = 0;
    while (i < l->nranges && l->ranges[i].first + l->ranges[i].count <= at)
        i++;
    return i;
}

/* Inserts r at position i and joins it with the neighbours it touches. */
static pn_status insert_range(pn_ledger *l, size_t i, pn_range r, pn_error *err)
{
    if (l->nranges == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        pn_range *grown = realloc(l->ranges, cap * sizeof *grown);
        if (!grown)
            return pn_fail(err, PN_ERR_NOMEM, "out of memory for the ledger's ranges");
        l->ranges = grown;
        l->cap = cap;
    }
    memmove(l->ranges + i + 1, l->ranges + i, (l->nranges - i) * sizeof *l->ranges);
    l->ranges[i] = r;
    l->nranges++;
    if (i + 1 < l->nranges && r.first + r.count == l->ranges[i + 1].first) {
        l->ranges[i].count += l->ranges[i + 1].count;
        memmove(l->ranges + i + 1, l->ranges + i + 2, (l->nranges - i - 2) * sizeof *l->ranges);
        l->nranges--;
    }
    if (i > 0 && l->ranges[i - 1].first + l->ranges[i - 1].count == l->ranges[i].first) {
        l->ranges[i - 1].count += l->ranges[i].count;
        memmove(l->ranges + i, l->ranges + i + 1, (l->nranges - i - 1) * sizeof *l->ranges);
        l->nranges--;
    }
    return PN_OK;
}

pn_status pn_ledger_add(pn_ledger *l, pn_range r, const pn_histogram *counts, pn_error *err)
{
    const pn_query *q = &l->query;
    if (r.first < q->first || r.count > q->first + q->count - r.first)
        return pn_fail(err, PN_ERR_USAGE, "range [%llu, +%llu) lies outside the run's range",
                       (unsigned long long)r.first, (unsigned long long)r.count);
    if (r.count == 0)
        return PN_OK;
    size_t i = first_ending_after(l, r.first);
    if (i < l->nranges && l->ranges[i].first < r.first + r.count)
        return pn_fail(err, PN_ERR_USAGE, "range [%llu, +%llu) is already in the ledger",
                       (unsigned long long)r.first, (unsigned long long)r.count);
    pn_status st = insert_range(l, i, r, err);
    for (size_t level = 0; st == PN_OK && level < q->levels.n; level++)
        pn_histogram_add(&l->hists[level], &counts[level]);
    return st;
}

bool pn_ledger_next_gap(const pn_ledger *l, uint64_t from, pn_range *gap)
{
    uint64_t end = l->query.first + l->query.count;
    uint64_t at = from < l->query.first ? l->query.first : from;
    size_t i = first_ending_after(l, at);
    while (i < l->nranges && l->ranges[i].first <= at) { /* at lies inside a done range */
        at = l->ranges[i].first + l->ranges[i].count;
        i++;
    }
    if (at >= end)
        return false;
    uint64_t stop = i < l->nranges ? l->ranges[i].first : end;
    *gap = (pn_range){.first = at, .count = stop - at};
    return true;
}

/* `"scenarios": S,` and `"counts": [...],` (one array per level of a
 * question with levels), then a mixed fleet's `"napping_sums"`, one array
 * per level and group. */
static void write_counts(FILE *out, const pn_ledger *l)
{
    const pn_query *q = &l->query;
    bool listed = q->levels.listed;
    mpz_t total;
    mpz_init(total);
    fprintf(out, "  \"%s\": %s", pn_json_key[PN_KEY_SCENARIOS], listed ? "[" : "");
    for (size_t i = 0; i < q->levels.n; i++) {
        pn_histogram_total(&l->hists[i], total);
        gmp_fprintf(out, "%s%Zd", i ? ", " : "", total);
    }
    fprintf(out, "%s,\n  \"%s\": %s", listed ? "]" : "", pn_json_key[PN_KEY_COUNTS],
            listed ? "[\n    " : "");
    for (size_t i = 0; i < q->levels.n; i++) {
        fprintf(out, "%s[", i ? ",\n    " : "");
        for (uint64_t k = 0; k <= q->hosts; k++)
            gmp_fprintf(out, "%s%Zd", k ? ", " : "", l->hists[i].bins[k]);
        fputc(']', out);
    }
    fprintf(out, "%s,\n", listed ? "\n  ]" : "");
    mpz_clear(total);
    if (!q->per_host_bases)
        return;
    fprintf(out, "  \"%s\": [", pn_json_key[PN_KEY_NAPPING_SUMS]);
    for (size_t i = 0; i < q->levels.n; i++)
        for (unsigned j = 0; j < l->hists[i].groups; j++) {
            fprintf(out, "%s\n    [", i || j ? "," : "");
            for (uint64_t k = 0; k <= q->hosts; k++)
                gmp_fprintf(out, "%s%Zd", k ? ", " : "", pn_histogram_napping(&l->hists[i], j, k));
            fputc(']', out);
        }
    fprintf(out, "\n  ],\n");
}

/* The document up to (not including) its checksum line, into a memory stream. */
static void write_body(FILE *out, const pn_ledger *l)
{
    const pn_query *q = &l->query;
    fprintf(out, "{\n  \"%s\": %d,\n  \"%s\": \"%s\",\n", pn_json_key[PN_KEY_FORMAT_VERSION],
            PN_JSON_FORMAT_VERSION, pn_json_key[PN_KEY_TOOL], PN_JSON_TOOL);
    pn_question_doc_write(out, q, &(pn_question_doc_style){.load_curve = l->load_curve});
    fprintf(out, "  \"%s\": \"", pn_json_key[PN_KEY_ENGINE]);
    for (const char *c = l->engine; *c; c++) { /* engine names hold device names: escape */
        if (*c == '"' || *c == '\\')
            fputc('\\', out);
        fputc((unsigned char)*c < 0x20 ? '?' : *c, out);
    }
    fprintf(out, "\",\n  \"%s\": %llu,\n", pn_json_key[PN_KEY_KEYSPACE],
            (unsigned long long)q->keyspace);
    fprintf(out, "  \"%s\": {\"%s\": \"%s\", \"%s\": \"%s\", \"%s\": ",
            pn_json_key[PN_KEY_LEDGER], pn_json_key[PN_KEY_TOOL_VERSION], PN_VERSION,
            pn_json_key[PN_KEY_FINGERPRINT], l->fingerprint, pn_json_key[PN_KEY_REQUESTED]);
    pn_question_doc_write_range(out, q->first, q->count);
    fprintf(out, ",\n    \"%s\": [", pn_json_key[PN_KEY_RANGES]);
    for (size_t i = 0; i < l->nranges; i++)
        fprintf(out, "%s[%llu, %llu]", i ? ", " : "", (unsigned long long)l->ranges[i].first,
                (unsigned long long)l->ranges[i].count);
    fprintf(out, "]},\n");
    write_counts(out, l);
}

pn_status pn_ledger_write(FILE *out, const pn_ledger *l, pn_error *err)
{
    char *body = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&body, &len);
    if (!mem)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for the ledger");
    write_body(mem, l);
    if (fclose(mem) != 0) {
        free(body);
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for the ledger");
    }
    unsigned char d[PN_SHA256_BYTES];
    char hex[PN_FINGERPRINT_LEN];
    pn_sha256(body, len, d);
    pn_sha256_hex(d, hex);
    bool ok = fwrite(body, 1, len, out) == len &&
              fprintf(out, "  \"%s\": \"sha256:%s\"\n}\n", pn_json_key[PN_KEY_CHECKSUM], hex) > 0;
    free(body);
    return ok ? PN_OK : pn_fail(err, PN_ERR_IO, "writing the ledger failed: %s", strerror(errno));
}

/* fsync of the directory holding path, so the rename itself is durable. */
static pn_status sync_directory(const char *path, pn_error *err)
{
    char *copy = strdup(path);
    if (!copy)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory");
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
    pn_status st = PN_OK;
    if (fd < 0 || fsync(fd) != 0)
        st = pn_fail(err, PN_ERR_IO, "syncing the directory of %s failed: %s", path,
                     strerror(errno));
    if (fd >= 0)
        close(fd);
    free(copy);
    return st;
}

/* The temporary name "<path>.tmp.XXXXXX" into a fresh string, or PN_ERR_USAGE
 * naming path when the name would be longer than its directory allows (a
 * refusal before any work, not a failed save after hours of it). */
static pn_status temporary_name(const char *path, char **tmp, pn_error *err)
{
    static const char SUFFIX[] = ".tmp.XXXXXX";
    char *copy = strdup(path);
    if (!copy)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory");
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    long name_max = pathconf(dirname(copy), _PC_NAME_MAX);
    free(copy);
    size_t want = strlen(base) + sizeof SUFFIX - 1;
    if (name_max > 0 && want > (size_t)name_max)
        return pn_fail(err, PN_ERR_USAGE, "the ledger name %s is too long: a save needs a "
                                          "temporary name of %zu bytes beside it, more than the "
                                          "%ld its directory allows", path, want, name_max);
    if (strlen(path) + sizeof SUFFIX > PATH_MAX)
        return pn_fail(err, PN_ERR_USAGE, "the ledger path %s is too long: a save needs a "
                                          "temporary path %zu bytes longer, past the system's %d",
                       path, sizeof SUFFIX - 1, PATH_MAX);
    size_t n = strlen(path) + sizeof SUFFIX;
    if (!(*tmp = malloc(n)))
        return pn_fail(err, PN_ERR_NOMEM, "out of memory");
    snprintf(*tmp, n, "%s%s", path, SUFFIX);
    return PN_OK;
}

/* Writes the ledger into the new temporary file fd (left open), durably. */
static pn_status write_temporary(int fd, const char *tmp, const pn_ledger *l, pn_error *err)
{
    int copy = dup(fd);
    FILE *out = copy >= 0 ? fdopen(copy, "w") : NULL;
    pn_status st = out ? pn_ledger_write(out, l, err)
                       : pn_fail(err, PN_ERR_IO, "cannot write %s: %s", tmp, strerror(errno));
    if (st == PN_OK && (fflush(out) != 0 || fsync(fd) != 0))
        st = pn_fail(err, PN_ERR_IO, "writing %s failed: %s", tmp, strerror(errno));
    if (out ? fclose(out) != 0 : (copy >= 0 && close(copy) != 0))
        st = st != PN_OK ? st : pn_fail(err, PN_ERR_IO, "closing %s failed: %s", tmp,
                                        strerror(errno));
    return st;
}

/* Gives the written temporary file the ledger's name: link() for a new
 * ledger (it refuses to replace, atomically), rename() over the old one. */
static pn_status publish(const char *tmp, const char *target, const char *path, bool must_be_new,
                         pn_error *err)
{
    if (must_be_new && link(tmp, target) != 0)
        return errno == EEXIST ? pn_fail(err, PN_ERR_USAGE,
                                         "the checkpoint file %s already exists: continue its "
                                         "run with --restore %s, or remove it", path, path)
                               : pn_fail(err, PN_ERR_IO, "cannot create %s: %s", path,
                                         strerror(errno));
    if (!must_be_new && rename(tmp, target) != 0)
        return pn_fail(err, PN_ERR_IO, "renaming %s to %s failed: %s", tmp, target,
                       strerror(errno));
    return PN_OK;
}

/* A save of an existing ledger failed: why, what the file still holds and
 * how to go on (a full disk mid-run must not read as lost work). */
static pn_status save_failed(pn_status st, const char *path, const pn_ledger *l,
                             const pn_ledger_lock *lock, pn_error *err)
{
    pn_error why = *err;
    unsigned long long on_disk = lock->on_disk, total = l->query.count;
    return pn_fail(err, st, "saving the ledger %s failed (%s); the file still holds %llu of %llu "
                            "scenarios (%.1f%%) from its last save: make room, then continue "
                            "with --restore %s", path, why.msg, on_disk, total,
                   total ? 100.0 * (double)on_disk / (double)total : 0.0, path);
}

pn_status pn_ledger_save(const char *path, const pn_ledger *l, bool must_be_new,
                         pn_ledger_lock *lock, pn_error *err)
{
    const char *target = lock && lock->path ? lock->path : path;
    struct stat sb;
    if (must_be_new && lstat(target, &sb) == 0)
        return pn_fail(err, PN_ERR_USAGE,
                       "the checkpoint file %s already exists: continue its run with --restore "
                       "%s, or remove it", path, path);
    char *tmp = NULL;
    pn_status st = temporary_name(target, &tmp, err);
    if (st != PN_OK)
        return st;
    int fd = mkstemp(tmp);
    bool made = fd >= 0;
    if (!made)
        st = pn_fail(err, PN_ERR_IO, "cannot create %s: %s", tmp, strerror(errno));
    else
        (void)fcntl(fd, F_SETFD, FD_CLOEXEC); /* a lock no child process may keep alive */
    /* locked before it takes the name, so no other run can lock it in between */
    if (st == PN_OK && lock && flock(fd, LOCK_EX) != 0)
        st = pn_fail(err, PN_ERR_IO, "cannot lock %s: %s", tmp, strerror(errno));
    if (st == PN_OK)
        st = write_temporary(fd, tmp, l, err);
    if (st == PN_OK)
        st = publish(tmp, target, path, must_be_new, err);
    if (made)
        unlink(tmp); /* after link(), or after a failure; after rename() it is gone already */
    free(tmp);
    if (st == PN_OK && lock) { /* the file with the name is the new one: it holds the lock now */
        pn_ledger_lock_keep(lock, fd);
        lock->on_disk = pn_ledger_done(l);
        fd = -1;
    }
    if (fd >= 0)
        close(fd);
    if (st == PN_OK)
        st = sync_directory(target, err);
    if (st != PN_OK && st != PN_ERR_USAGE && lock && !must_be_new)
        st = save_failed(st, path, l, lock, err);
    return st;
}

/* Moves a read ledger document into l after the checks only a restore
 * needs: ours, this version, the same question under the same kernel. */
static pn_status adopt(const char *path, pn_slice *s, pn_ledger *l, pn_error *err)
{
    if (!s->is_ledger)
        return pn_fail(err, PN_ERR_USAGE, "%s is a slice, not a checkpoint ledger: merge it with "
                                          "'powernap_calculator merge'", path);
    if (strcmp(s->tool_version, PN_VERSION) != 0)
        return pn_fail(err, PN_ERR_USAGE, "%s was written by powernap_calculator %s, not %s: "
                                          "finish it with that version", path, s->tool_version,
                       PN_VERSION);
    pn_query q;
    pn_status st = pn_query_slice(&s->query, s->requested.first, s->requested.count, &q, err);
    if (st == PN_OK)
        st = pn_ledger_init(l, &q, err);
    if (st == PN_OK)
        st = pn_ledger_set_load_curve(l, s->load_curve, err);
    if (st != PN_OK)
        return st;
    snprintf(l->engine, sizeof l->engine, "%s", s->engine); /* kept by the next save */
    if (strcmp(l->fingerprint, s->fingerprint) != 0)
        return pn_fail(err, PN_ERR_USAGE, "%s: its fingerprint does not match its question under "
                                          "this build's kernel", path);
    pn_histogram *none = NULL; /* the counts go in once, with the first range */
    st = pn_histograms_init(&none, &q, err);
    for (size_t i = 0; st == PN_OK && i < s->nranges; i++)
        st = pn_ledger_add(l, s->ranges[i], i == 0 ? s->hists : none, err);
    pn_histograms_free(none, none ? q.levels.n : 0);
    return st;
}

pn_status pn_ledger_load(const char *path, pn_ledger *l, pn_error *err)
{
    memset(l, 0, sizeof *l);
    pn_slice s;
    pn_status st = pn_slice_read_file(path, &s, err);
    if (st == PN_ERR_IO) /* missing, a directory, unreadable: the user named a wrong file */
        st = PN_ERR_USAGE;
    if (st != PN_OK && strncmp(err->msg, "slice ", 6) == 0) { /* it was read as a ledger */
        size_t len = strlen(err->msg);
        if (len + 2 > sizeof err->msg)
            len = sizeof err->msg - 2;
        memmove(err->msg + 7, err->msg + 6, len - 6 + 1);
        memcpy(err->msg, "ledger ", 7);
        err->msg[sizeof err->msg - 1] = '\0';
    }
    if (st == PN_OK)
        st = adopt(path, &s, l, err);
    pn_slice_clear(&s);
    if (st != PN_OK)
        pn_ledger_clear(l);
    return st;
}
