/* SPDX-License-Identifier: GPL-3.0-or-later */
/* opencl_kernels.c -- the kernels of kernels/enumerate.cl from the host: tables, arguments by name, ranges. */
#include "opencl/pn_opencl_kernels.h"
#include "opencl/pn_opencl_error.h"

#include <stddef.h>

/* The arguments of both kernels, in the kernels' order: the first two change
 * with every launch (a first index or prefix, and how many); the rest are
 * fixed for a plan, ARG_HOSTS .. ARG_BINS alike in both kernels, and
 * count_prefixes takes four more after them. */
enum kernel_arg_index {
    ARG_FIRST,
    ARG_N,
    ARG_HOSTS,
    ARG_BASE,
    ARG_GUESTS,
    ARG_LEVELS,
    ARG_GROUPS,
    ARG_HOST,
    ARG_BINOM,
    ARG_LBINS,
    ARG_BINS,
    INDEX_ARG_COUNT, /* count_indices takes no more */
    ARG_LOW_DIGITS = INDEX_ARG_COUNT,
    ARG_LOW_SUM,
    ARG_LOW_WEIGHT,
    ARG_ZERO_START,
    PREFIX_ARG_COUNT
};

/* One argument's size and value; a NULL value with a size is __local memory. */
typedef struct kernel_arg {
    size_t size;
    const void *value;
} kernel_arg;

/* Sets arguments [from, to) of k from args, indexed by the kernel's enum:
 * the one place a kernel argument is set. */
static pn_status set_args(cl_kernel k, const kernel_arg *args, unsigned from, unsigned to,
                          pn_error *err)
{
    pn_status st = PN_OK;
    for (unsigned i = from; i < to; i++)
        PN_CL_CHECK(clSetKernelArg(k, i, args[i].size, args[i].value), st, err, done);
done:
    return st;
}

/* A read-only buffer holding a copy of `bytes` bytes of host data. */
static pn_status make_table(cl_context ctx, const void *data, size_t bytes, cl_mem *out,
                            pn_error *err)
{
    pn_status st = PN_OK;
    cl_int rc = CL_SUCCESS;
    *out = clCreateBuffer(ctx, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, bytes, (void *)data,
                          &rc);
    PN_CL_CHECK(rc, st, err, done);
done:
    return st;
}

pn_status pn_opencl_tables_make(cl_context ctx, const pn_plan *pl, pn_opencl_tables *t,
                                pn_error *err)
{
    size_t n = (size_t)pl->entries;
    pn_status st = make_table(ctx, pl->low_sum, n * pl->sum_bytes, &t->low_sum, err);
    if (st == PN_OK)
        st = make_table(ctx, pl->low_weight, (pl->slots ? n : 1) * 8, &t->low_weight, err);
    if (st == PN_OK)
        st = make_table(ctx, pl->zero_start, (pl->low_digits + 2) * 4, &t->zero_start, err);
    if (st == PN_OK)
        st = make_table(ctx, pl->binom, pl->binom_len * 8, &t->binom, err);
    if (st == PN_OK && pl->host) /* one base: the kernels read no host table */
        st = make_table(ctx, pl->host, (size_t)pl->hosts * sizeof *pl->host, &t->host, err);
    return st;
}

void pn_opencl_tables_release(pn_opencl_tables *t, pn_status *st, pn_error *err)
{
    cl_mem *mems[5] = {&t->host, &t->binom, &t->zero_start, &t->low_weight, &t->low_sum};
    for (int i = 0; i < 5; i++) {
        if (*mems[i])
            PN_CL_CHECK_CLEANUP(clReleaseMemObject(*mems[i]), *st, err);
        *mems[i] = NULL;
    }
}

/* Bytes of the __local histogram: the plan's nbins counters (hosts+1 but
 * for a mixed fleet or several levels), or a placeholder of one when the
 * plan counts straight into global memory (built with LOCAL_BINS=0). */
static size_t local_bytes(const pn_plan *pl)
{
    return pl->use_local ? (size_t)pl->nbins * 8 : 8;
}

/* The arguments both kernels take alike and that stay fixed for the plan
 * (ARG_HOSTS .. ARG_BINS), then count_prefixes's own (up to `count`: the
 * kernel's argument count). A plan of one base has no host table: its
 * argument is NULL, which OpenCL allows for a buffer the kernel never reads. */
static pn_status set_plan_args(cl_kernel k, unsigned count, const pn_plan *pl,
                               const pn_opencl_tables *t, const cl_mem *bins, pn_error *err)
{
    cl_uint h = (cl_uint)pl->hosts, b = (cl_uint)pl->base, g = (cl_uint)pl->guests;
    cl_uint L = pl->low_digits, groups = pl->groups, levels = pl->levels;
    const kernel_arg args[PREFIX_ARG_COUNT] = {
        [ARG_HOSTS] = {sizeof h, &h},
        [ARG_BASE] = {sizeof b, &b},
        [ARG_GUESTS] = {sizeof g, &g},
        [ARG_LEVELS] = {sizeof levels, &levels},
        [ARG_GROUPS] = {sizeof groups, &groups},
        [ARG_HOST] = {sizeof t->host, &t->host},
        [ARG_BINOM] = {sizeof t->binom, &t->binom},
        [ARG_LBINS] = {local_bytes(pl), NULL},
        [ARG_BINS] = {sizeof *bins, bins},
        [ARG_LOW_DIGITS] = {sizeof L, &L},
        [ARG_LOW_SUM] = {sizeof t->low_sum, &t->low_sum},
        [ARG_LOW_WEIGHT] = {sizeof t->low_weight, &t->low_weight},
        [ARG_ZERO_START] = {sizeof t->zero_start, &t->zero_start},
    };
    return set_args(k, args, ARG_HOSTS, count, err);
}

pn_status pn_opencl_kernels_make(cl_program prog, const pn_plan *pl, const pn_opencl_tables *t,
                                 cl_mem bins, cl_kernel out[2], pn_error *err)
{
    static const char *const names[2] = {
        [PN_KIND_INDEX] = "count_indices",
        [PN_KIND_PREFIX] = "count_prefixes",
    };
    static const unsigned counts[2] = {
        [PN_KIND_INDEX] = INDEX_ARG_COUNT,
        [PN_KIND_PREFIX] = PREFIX_ARG_COUNT,
    };
    pn_status st = PN_OK;
    cl_int rc = CL_SUCCESS;
    for (int k = 0; k < 2; k++) {
        out[k] = clCreateKernel(prog, names[k], &rc);
        PN_CL_CHECK(rc, st, err, done);
    }
    for (int k = 0; st == PN_OK && k < 2; k++)
        st = set_plan_args(out[k], counts[k], pl, t, &bins, err);
done:
    return st;
}

pn_status pn_opencl_kernel_set_range(cl_kernel k, uint64_t first, uint64_t n, pn_error *err)
{
    cl_ulong start = first, units = n;
    const kernel_arg args[ARG_HOSTS] = {
        [ARG_FIRST] = {sizeof start, &start},
        [ARG_N] = {sizeof units, &units},
    };
    return set_args(k, args, ARG_FIRST, ARG_HOSTS, err);
}
