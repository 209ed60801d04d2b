/* SPDX-License-Identifier: GPL-3.0-or-later */
/* opencl_build.c -- program builds: from the binary cache when it holds one, else from source with the log. */
#include "opencl/pn_opencl_build.h"
#include "opencl/pn_opencl_cache.h"
#include "opencl/pn_opencl_error.h"

#include <stdlib.h>
#include <string.h>

/* Build logs longer than this keep only their head and tail in the message. */
#define LOG_HEAD 1800
#define LOG_TAIL 1200

/* Fetches device's build log into a malloc'd string (NULL when it cannot). */
static char *build_log(cl_program program, cl_device_id device)
{
    size_t size = 0;
    if (clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, NULL, &size) !=
        CL_SUCCESS)
        return NULL;
    char *log = malloc(size + 1);
    if (log && clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, size, log, NULL) !=
                   CL_SUCCESS) {
        free(log);
        return NULL;
    }
    if (log)
        log[size] = '\0';
    return log;
}

/* The build failure message: options, then the log, keeping its head and
 * tail when it is too long for the error buffer. */
static pn_status build_failure(cl_program program, cl_device_id device, const char *options,
                               cl_int rc, pn_error *err)
{
    char *log = build_log(program, device);
    const char *text = log ? log : "(no build log available)";
    size_t len = strlen(text);
    if (len <= LOG_HEAD + LOG_TAIL)
        pn_fail(err, PN_ERR_OPENCL, "OpenCL error: clBuildProgram failed: %s (%d)\n"
                "build options: %s\nbuild log:\n%s", pn_cl_error_name(rc), (int)rc, options,
                text);
    else
        pn_fail(err, PN_ERR_OPENCL, "OpenCL error: clBuildProgram failed: %s (%d)\n"
                "build options: %s\nbuild log (%zu bytes, middle cut):\n%.*s\n[...]\n%s",
                pn_cl_error_name(rc), (int)rc, options, len, LOG_HEAD, text,
                text + len - LOG_TAIL);
    free(log);
    return PN_ERR_OPENCL;
}

/* Builds the program from source; the error message as pn_cl_build_program. */
static pn_status build_from_source(cl_context context, cl_uint ndevices,
                                   const cl_device_id *devices, const char *source,
                                   const char *options, cl_program *out, pn_error *err)
{
    pn_status st = PN_OK;
    cl_int rc = CL_SUCCESS;
    size_t len = strlen(source);
    cl_program program = clCreateProgramWithSource(context, 1, &source, &len, &rc);
    PN_CL_CHECK(rc, st, err, done);
    rc = clBuildProgram(program, ndevices, devices, options, NULL, NULL);
    if (rc != CL_SUCCESS) {
        cl_device_id failed = devices[0];
        for (cl_uint i = 0; i < ndevices; i++) {
            cl_build_status bs = CL_BUILD_SUCCESS;
            clGetProgramBuildInfo(program, devices[i], CL_PROGRAM_BUILD_STATUS, sizeof bs, &bs,
                                  NULL);
            if (bs == CL_BUILD_ERROR) {
                failed = devices[i];
                break;
            }
        }
        st = build_failure(program, failed, options, rc, err);
        goto release_program;
    }
    *out = program;
    return PN_OK;
release_program:
    PN_CL_CHECK_CLEANUP(clReleaseProgram(program), st, err);
done:
    return st;
}

pn_status pn_cl_build_program(cl_context context, cl_uint ndevices,
                              const cl_device_id *devices, const char *source,
                              const char *options, cl_program *out, pn_error *err)
{
    pn_cl_cache cache;
    pn_cl_cache_open(&cache, ndevices, devices, options, source);
    *out = NULL;
    if (cache.enabled && pn_cl_cache_load(&cache, context, devices, options, out)) {
        pn_cl_cache_close(&cache);
        return PN_OK;
    }
    pn_status st = build_from_source(context, ndevices, devices, source, options, out, err);
    if (st == PN_OK && cache.enabled)
        pn_cl_cache_store(&cache, *out, devices);
    pn_cl_cache_close(&cache);
    return st;
}
