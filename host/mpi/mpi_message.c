/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mpi_message.c -- the messages between rank 0 and the workers: waiting without spinning, finished chunks as exact 64-bit words, failures. */
#include "mpi/pn_mpi.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

bool pn_mpi_wait(MPI_Comm comm, int source, volatile sig_atomic_t *cancel, MPI_Status *status)
{
    const struct timespec nap = {0, (long)(PN_MPI_POLL_SECONDS * 1e9)};
    for (;;) {
        int arrived = 0;
        if (MPI_Iprobe(source, MPI_ANY_TAG, comm, &arrived, status) != MPI_SUCCESS)
            return false;
        if (arrived)
            return true;
        if (cancel && *cancel)
            return false;
        nanosleep(&nap, NULL);
    }
}

/* One count as `words` 64-bit words, least significant first; false when
 * it does not fit. */
static bool to_words(const mpz_t z, size_t words, uint64_t *out)
{
    memset(out, 0, words * sizeof *out);
    if (mpz_sgn(z) < 0 || mpz_sizeinbase(z, 2) > 64 * words)
        return false;
    mpz_export(out, NULL, -1, sizeof *out, 0, 0, z);
    return true;
}

size_t pn_mpi_done_words(const pn_query *q)
{
    size_t width = (size_t)q->hosts + 1, groups = q->per_host_bases ? q->ngroups : 0;
    return PN_MPI_DONE_HEAD + q->levels.n * width * (1 + 2 * groups);
}

pn_status pn_mpi_pack_done(pn_range r, double seconds, const pn_query *q,
                           const pn_histogram *counts, uint64_t *msg, pn_error *err)
{
    msg[0] = r.first;
    msg[1] = r.count;
    msg[2] = seconds > 0 ? (uint64_t)(seconds * 1e9) : 0;
    uint64_t *at = msg + PN_MPI_DONE_HEAD;
    for (size_t i = 0; i < q->levels.n; i++) {
        const pn_histogram *h = &counts[i];
        for (uint64_t k = 0; k <= h->hosts; k++, at++)
            if (!to_words(h->bins[k], 1, at))
                return pn_fail(err, PN_ERR_USAGE, "the count of chunk [%llu, +%llu) for %llu "
                                                  "napping hosts does not fit 64 bits",
                               (unsigned long long)r.first, (unsigned long long)r.count,
                               (unsigned long long)k);
        for (uint64_t n = 0; n < (uint64_t)h->groups * (h->hosts + 1); n++, at += 2)
            if (!to_words(h->napping[n], 2, at))
                return pn_fail(err, PN_ERR_USAGE, "a napping sum of chunk [%llu, +%llu) does "
                                                  "not fit 128 bits",
                               (unsigned long long)r.first, (unsigned long long)r.count);
    }
    return PN_OK;
}

void pn_mpi_unpack_done(const uint64_t *msg, const pn_query *q, pn_range *r, double *seconds,
                        pn_histogram *counts)
{
    *r = (pn_range){.first = msg[0], .count = msg[1]};
    *seconds = (double)msg[2] / 1e9;
    const uint64_t *at = msg + PN_MPI_DONE_HEAD;
    for (size_t i = 0; i < q->levels.n; i++) {
        pn_histogram *h = &counts[i];
        for (uint64_t k = 0; k <= h->hosts; k++, at++)
            mpz_import(h->bins[k], 1, -1, sizeof *at, 0, 0, at);
        for (uint64_t n = 0; n < (uint64_t)h->groups * (h->hosts + 1); n++, at += 2)
            mpz_import(h->napping[n], 2, -1, sizeof *at, 0, 0, at);
    }
}

void pn_mpi_send_fail(MPI_Comm comm, pn_status st, const pn_error *err)
{
    char text[PN_ERROR_MAX + 1];
    text[0] = (char)('0' + (int)st);
    snprintf(text + 1, sizeof text - 1, "%s", err->msg);
    MPI_Send(text, (int)strlen(text) + 1, MPI_CHAR, 0, PN_MPI_FAIL, comm);
}
