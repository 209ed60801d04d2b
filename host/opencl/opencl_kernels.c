/* opencl_kernels.c -- the kernels of kernels/enumerate.cl from the host: tables, arguments by name, ranges. */
#include "opencl/pn_opencl_kernels.h"
#include "opencl/pn_opencl_error.h"

#include <stddef.h>

/* count_indices's arguments in the kernel's order. The first two change with
 * every launch; the rest (from INDEX_ARG_HOSTS) are fixed for a plan. */
enum index_arg {
    INDEX_ARG_FIRST,
    INDEX_ARG_N,
    INDEX_ARG_HOSTS,
    INDEX_ARG_BASE,
    INDEX_ARG_GUESTS,
    INDEX_ARG_LEVELS,
    INDEX_ARG_GROUPS,
    INDEX_ARG_BINOM,
    INDEX_ARG_LBINS,
    INDEX_ARG_USE_LOCAL,
    INDEX_ARG_BINS,
    INDEX_ARG_COUNT
};

/* count_prefixes's arguments in the kernel's order. The first two change
 * with every launch; the rest (from PREFIX_ARG_HOSTS) are fixed for a plan. */
enum prefix_arg {
    PREFIX_ARG_FIRST_PREFIX,
    PREFIX_ARG_N,
    PREFIX_ARG_HOSTS,
    PREFIX_ARG_BASE,
    PREFIX_ARG_GUESTS,
    PREFIX_ARG_LEVELS,
    PREFIX_ARG_GROUPS,
    PREFIX_ARG_LOW_DIGITS,
    PREFIX_ARG_LOW_SUM,
    PREFIX_ARG_LOW_WEIGHT,
    PREFIX_ARG_ZERO_START,
    PREFIX_ARG_BINOM,
    PREFIX_ARG_LBINS,
    PREFIX_ARG_USE_LOCAL,
    PREFIX_ARG_BINS,
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
    return st;
}

void pn_opencl_tables_release(pn_opencl_tables *t, pn_status *st, pn_error *err)
{
    cl_mem *mems[4] = {&t->binom, &t->zero_start, &t->low_weight, &t->low_sum};
    for (int i = 0; i < 4; i++) {
        if (*mems[i])
            PN_CL_CHECK_CLEANUP(clReleaseMemObject(*mems[i]), *st, err);
        *mems[i] = NULL;
    }
}

/* Bytes of the __local histogram: the plan's nbins counters (hosts+1 but
 * for a mixed fleet or several levels), or a placeholder of one when the
 * plan counts straight into global memory. */
static size_t local_bytes(const pn_plan *pl)
{
    return pl->use_local ? (size_t)pl->nbins * 8 : 8;
}

/* count_indices's arguments that stay fixed for the plan. */
static pn_status set_index_args(cl_kernel k, const pn_plan *pl, const pn_opencl_tables *t,
                                const cl_mem *bins, pn_error *err)
{
    cl_uint h = (cl_uint)pl->hosts, b = (cl_uint)pl->base, g = (cl_uint)pl->guests;
    cl_uint local = pl->use_local, levels = pl->levels, groups = pl->groups;
    const kernel_arg args[INDEX_ARG_COUNT] = {
        [INDEX_ARG_HOSTS] = {sizeof h, &h},
        [INDEX_ARG_BASE] = {sizeof b, &b},
        [INDEX_ARG_GUESTS] = {sizeof g, &g},
        [INDEX_ARG_LEVELS] = {sizeof levels, &levels},
        [INDEX_ARG_GROUPS] = {sizeof groups, &groups},
        [INDEX_ARG_BINOM] = {sizeof t->binom, &t->binom},
        [INDEX_ARG_LBINS] = {local_bytes(pl), NULL},
        [INDEX_ARG_USE_LOCAL] = {sizeof local, &local},
        [INDEX_ARG_BINS] = {sizeof *bins, bins},
    };
    return set_args(k, args, INDEX_ARG_HOSTS, INDEX_ARG_COUNT, err);
}

/* count_prefixes's arguments that stay fixed for the plan. */
static pn_status set_prefix_args(cl_kernel k, const pn_plan *pl, const pn_opencl_tables *t,
                                 const cl_mem *bins, pn_error *err)
{
    cl_uint h = (cl_uint)pl->hosts, b = (cl_uint)pl->base, g = (cl_uint)pl->guests;
    cl_uint L = pl->low_digits, local = pl->use_local, groups = pl->groups, levels = pl->levels;
    const kernel_arg args[PREFIX_ARG_COUNT] = {
        [PREFIX_ARG_HOSTS] = {sizeof h, &h},
        [PREFIX_ARG_BASE] = {sizeof b, &b},
        [PREFIX_ARG_GUESTS] = {sizeof g, &g},
        [PREFIX_ARG_LEVELS] = {sizeof levels, &levels},
        [PREFIX_ARG_GROUPS] = {sizeof groups, &groups},
        [PREFIX_ARG_LOW_DIGITS] = {sizeof L, &L},
        [PREFIX_ARG_LOW_SUM] = {sizeof t->low_sum, &t->low_sum},
        [PREFIX_ARG_LOW_WEIGHT] = {sizeof t->low_weight, &t->low_weight},
        [PREFIX_ARG_ZERO_START] = {sizeof t->zero_start, &t->zero_start},
        [PREFIX_ARG_BINOM] = {sizeof t->binom, &t->binom},
        [PREFIX_ARG_LBINS] = {local_bytes(pl), NULL},
        [PREFIX_ARG_USE_LOCAL] = {sizeof local, &local},
        [PREFIX_ARG_BINS] = {sizeof *bins, bins},
    };
    return set_args(k, args, PREFIX_ARG_HOSTS, PREFIX_ARG_COUNT, err);
}

pn_status pn_opencl_kernels_make(cl_program prog, const pn_plan *pl, const pn_opencl_tables *t,
                                 cl_mem bins, cl_kernel out[2], pn_error *err)
{
    static const char *const names[2] = {
        [PN_KIND_INDEX] = "count_indices",
        [PN_KIND_PREFIX] = "count_prefixes",
    };
    pn_status st = PN_OK;
    cl_int rc = CL_SUCCESS;
    for (int k = 0; k < 2; k++) {
        out[k] = clCreateKernel(prog, names[k], &rc);
        PN_CL_CHECK(rc, st, err, done);
    }
    st = set_index_args(out[PN_KIND_INDEX], pl, t, &bins, err);
    if (st == PN_OK)
        st = set_prefix_args(out[PN_KIND_PREFIX], pl, t, &bins, err);
done:
    return st;
}

pn_status pn_opencl_kernel_set_range(cl_kernel k, int kind, uint64_t first, uint64_t n,
                                     pn_error *err)
{
    cl_ulong start = first, units = n;
    if (kind == PN_KIND_PREFIX) {
        const kernel_arg args[PREFIX_ARG_HOSTS] = {
            [PREFIX_ARG_FIRST_PREFIX] = {sizeof start, &start},
            [PREFIX_ARG_N] = {sizeof units, &units},
        };
        return set_args(k, args, PREFIX_ARG_FIRST_PREFIX, PREFIX_ARG_HOSTS, err);
    }
    const kernel_arg args[INDEX_ARG_HOSTS] = {
        [INDEX_ARG_FIRST] = {sizeof start, &start},
        [INDEX_ARG_N] = {sizeof units, &units},
    };
    return set_args(k, args, INDEX_ARG_FIRST, INDEX_ARG_HOSTS, err);
}
