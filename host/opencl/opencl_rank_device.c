/* SPDX-License-Identifier: GPL-3.0-or-later */
/* opencl_rank_device.c -- the OpenCL device the n-th process on a node drives when --device does not say (the MPI binary's one device per rank). */
#include "opencl/pn_opencl_rank_device.h"

#include <CL/cl.h>
#include <CL/cl_ext.h>

#include "opencl/pn_opencl_error.h"

#define MAX_PLATFORMS 16
#define MAX_DEVICES 64

/* The indices, in the platform's CL_DEVICE_TYPE_ALL order (the order
 * --device P:D counts in), of its devices whose type has `type`'s bits. */
static pn_status devices_of_type(cl_platform_id platform, cl_device_type type,
                                 unsigned *index, unsigned *n, pn_error *err)
{
    cl_device_id ids[MAX_DEVICES];
    cl_uint count = 0;
    pn_status st = PN_OK;
    *n = 0;
    cl_int rc = clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, MAX_DEVICES, ids, &count);
    if (rc == CL_DEVICE_NOT_FOUND)
        return PN_OK;
    PN_CL_CHECK(rc, st, err, done);
    for (cl_uint i = 0; i < count && i < MAX_DEVICES; i++) {
        cl_device_type t = 0;
        PN_CL_CHECK(clGetDeviceInfo(ids[i], CL_DEVICE_TYPE, sizeof t, &t, NULL), st, err, done);
        if (t & type)
            index[(*n)++] = (unsigned)i;
    }
done:
    return st;
}

pn_status pn_cl_rank_device(unsigned local, pn_device_choice *out, pn_error *err)
{
    cl_platform_id plats[MAX_PLATFORMS];
    cl_uint nplat = 0;
    pn_status st = PN_OK;
    cl_int rc = clGetPlatformIDs(MAX_PLATFORMS, plats, &nplat);
    if (rc == CL_PLATFORM_NOT_FOUND_KHR || (rc == CL_SUCCESS && nplat == 0))
        return pn_fail(err, PN_ERR_OPENCL, "no OpenCL platform found");
    PN_CL_CHECK(rc, st, err, done);
    static const cl_device_type order[2] = {CL_DEVICE_TYPE_GPU, CL_DEVICE_TYPE_ALL};
    for (int t = 0; t < 2; t++)
        for (cl_uint p = 0; p < nplat && p < MAX_PLATFORMS; p++) {
            unsigned index[MAX_DEVICES], n = 0;
            if ((st = devices_of_type(plats[p], order[t], index, &n, err)) != PN_OK)
                return st;
            if (n > 0) {
                *out = (pn_device_choice){.chosen = true, .platform = (unsigned)p,
                                          .device = index[local % n]};
                return PN_OK;
            }
        }
    st = pn_fail(err, PN_ERR_OPENCL, "no OpenCL device found on %u platform(s)", (unsigned)nplat);
done:
    return st;
}
