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

/* One count as a 64-bit word; false when it does not fit. */
static bool to_u64(const mpz_t z, uint64_t *out)
{
    *out = 0;
    if (mpz_sgn(z) < 0 || mpz_sizeinbase(z, 2) > 64)
        return false;
    mpz_export(out, NULL, -1, sizeof *out, 0, 0, z);
    return true;
}

pn_status pn_mpi_pack_done(pn_range r, double seconds, const pn_histogram *counts, uint64_t *msg,
                           pn_error *err)
{
    msg[0] = r.first;
    msg[1] = r.count;
    msg[2] = seconds > 0 ? (uint64_t)(seconds * 1e9) : 0;
    for (uint64_t k = 0; k <= counts->hosts; k++)
        if (!to_u64(counts->bins[k], &msg[PN_MPI_DONE_HEAD + k]))
            return pn_fail(err, PN_ERR_USAGE, "the count of chunk [%llu, +%llu) for %llu "
                                              "napping hosts does not fit 64 bits",
                           (unsigned long long)r.first, (unsigned long long)r.count,
                           (unsigned long long)k);
    return PN_OK;
}

void pn_mpi_unpack_done(const uint64_t *msg, pn_range *r, double *seconds, pn_histogram *counts)
{
    *r = (pn_range){.first = msg[0], .count = msg[1]};
    *seconds = (double)msg[2] / 1e9;
    for (uint64_t k = 0; k <= counts->hosts; k++)
        mpz_import(counts->bins[k], 1, -1, sizeof msg[0], 0, 0, &msg[PN_MPI_DONE_HEAD + k]);
}

void pn_mpi_send_fail(MPI_Comm comm, pn_status st, const pn_error *err)
{
    char text[PN_ERROR_MAX + 1];
    text[0] = (char)('0' + (int)st);
    snprintf(text + 1, sizeof text - 1, "%s", err->msg);
    MPI_Send(text, (int)strlen(text) + 1, MPI_CHAR, 0, PN_MPI_FAIL, comm);
}
