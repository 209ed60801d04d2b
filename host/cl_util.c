/* cl_util.c -- OpenCL error names, platform/device enumeration and choice, program builds. */
#include "pn_cl_util.h"
#include "pn_cl_cache.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CL/cl_ext.h>

#define PN_CL_MAX_PLATFORMS 16

/* Build logs longer than this keep only their head and tail in the message. */
#define LOG_HEAD 1800
#define LOG_TAIL 1200

#define CLERR(name) case name: return #name

const char *pn_cl_error_name(cl_int code)
{
    switch (code) {
    CLERR(CL_SUCCESS);
    CLERR(CL_DEVICE_NOT_FOUND);
    CLERR(CL_DEVICE_NOT_AVAILABLE);
    CLERR(CL_COMPILER_NOT_AVAILABLE);
    CLERR(CL_MEM_OBJECT_ALLOCATION_FAILURE);
    CLERR(CL_OUT_OF_RESOURCES);
    CLERR(CL_OUT_OF_HOST_MEMORY);
    CLERR(CL_PROFILING_INFO_NOT_AVAILABLE);
    CLERR(CL_MEM_COPY_OVERLAP);
    CLERR(CL_IMAGE_FORMAT_MISMATCH);
    CLERR(CL_IMAGE_FORMAT_NOT_SUPPORTED);
    CLERR(CL_BUILD_PROGRAM_FAILURE);
    CLERR(CL_MAP_FAILURE);
    CLERR(CL_MISALIGNED_SUB_BUFFER_OFFSET);
    CLERR(CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST);
    CLERR(CL_COMPILE_PROGRAM_FAILURE);
    CLERR(CL_LINKER_NOT_AVAILABLE);
    CLERR(CL_LINK_PROGRAM_FAILURE);
    CLERR(CL_DEVICE_PARTITION_FAILED);
    CLERR(CL_KERNEL_ARG_INFO_NOT_AVAILABLE);
    CLERR(CL_INVALID_VALUE);
    CLERR(CL_INVALID_DEVICE_TYPE);
    CLERR(CL_INVALID_PLATFORM);
    CLERR(CL_INVALID_DEVICE);
    CLERR(CL_INVALID_CONTEXT);
    CLERR(CL_INVALID_QUEUE_PROPERTIES);
    CLERR(CL_INVALID_COMMAND_QUEUE);
    CLERR(CL_INVALID_HOST_PTR);
    CLERR(CL_INVALID_MEM_OBJECT);
    CLERR(CL_INVALID_IMAGE_FORMAT_DESCRIPTOR);
    CLERR(CL_INVALID_IMAGE_SIZE);
    CLERR(CL_INVALID_SAMPLER);
    CLERR(CL_INVALID_BINARY);
    CLERR(CL_INVALID_BUILD_OPTIONS);
    CLERR(CL_INVALID_PROGRAM);
    CLERR(CL_INVALID_PROGRAM_EXECUTABLE);
    CLERR(CL_INVALID_KERNEL_NAME);
    CLERR(CL_INVALID_KERNEL_DEFINITION);
    CLERR(CL_INVALID_KERNEL);
    CLERR(CL_INVALID_ARG_INDEX);
    CLERR(CL_INVALID_ARG_VALUE);
    CLERR(CL_INVALID_ARG_SIZE);
    CLERR(CL_INVALID_KERNEL_ARGS);
    CLERR(CL_INVALID_WORK_DIMENSION);
    CLERR(CL_INVALID_WORK_GROUP_SIZE);
    CLERR(CL_INVALID_WORK_ITEM_SIZE);
    CLERR(CL_INVALID_GLOBAL_OFFSET);
    CLERR(CL_INVALID_EVENT_WAIT_LIST);
    CLERR(CL_INVALID_EVENT);
    CLERR(CL_INVALID_OPERATION);
    CLERR(CL_INVALID_GL_OBJECT);
    CLERR(CL_INVALID_BUFFER_SIZE);
    CLERR(CL_INVALID_MIP_LEVEL);
    CLERR(CL_INVALID_GLOBAL_WORK_SIZE);
    CLERR(CL_INVALID_PROPERTY);
    CLERR(CL_INVALID_IMAGE_DESCRIPTOR);
    CLERR(CL_INVALID_COMPILER_OPTIONS);
    CLERR(CL_INVALID_LINKER_OPTIONS);
    CLERR(CL_INVALID_DEVICE_PARTITION_COUNT);
#ifdef CL_INVALID_PIPE_SIZE
    CLERR(CL_INVALID_PIPE_SIZE);
#endif
#ifdef CL_INVALID_DEVICE_QUEUE
    CLERR(CL_INVALID_DEVICE_QUEUE);
#endif
#ifdef CL_INVALID_SPEC_ID
    CLERR(CL_INVALID_SPEC_ID);
#endif
#ifdef CL_MAX_SIZE_RESTRICTION_EXCEEDED
    CLERR(CL_MAX_SIZE_RESTRICTION_EXCEEDED);
#endif
    CLERR(CL_PLATFORM_NOT_FOUND_KHR);
    default: return "CL_UNKNOWN_ERROR";
    }
}

/* The length of the first "cl..." function name in a call's source text, and
 * where it starts; the whole text when there is none. */
static const char *call_name(const char *call, int *len)
{
    const char *p = strstr(call, "cl");
    while (p && !(p[2] >= 'A' && p[2] <= 'Z'))
        p = strstr(p + 2, "cl");
    if (!p)
        p = call;
    *len = (int)strcspn(p, "( ");
    return p;
}

pn_status pn_cl_fail(pn_error *err, const char *call, const char *file, int line,
                     cl_int code)
{
    int len;
    const char *name = call_name(call, &len);
    return pn_fail(err, PN_ERR_OPENCL, "OpenCL error: %.*s failed: %s (%d) at %s:%d", len,
                   name, pn_cl_error_name(code), (int)code, file, line);
}

/* Fills ids/count with the platforms; "no OpenCL platform" when there is none
 * (ocl-icd then answers CL_PLATFORM_NOT_FOUND_KHR). */
static pn_status get_platforms(cl_platform_id *ids, cl_uint *count, pn_error *err)
{
    cl_int rc = clGetPlatformIDs(PN_CL_MAX_PLATFORMS, ids, count);
    if (rc == CL_PLATFORM_NOT_FOUND_KHR || (rc == CL_SUCCESS && *count == 0))
        return pn_fail(err, PN_ERR_OPENCL,
                       "no OpenCL platform found (clGetPlatformIDs: %s); install an OpenCL "
                       "driver (e.g. pocl-opencl-icd) or use --engine cpu",
                       pn_cl_error_name(rc == CL_SUCCESS ? CL_PLATFORM_NOT_FOUND_KHR : rc));
    pn_status st = PN_OK;
    PN_CL_CHECK(rc, st, err, done);
    if (*count > PN_CL_MAX_PLATFORMS)
        *count = PN_CL_MAX_PLATFORMS;
done:
    return st;
}

/* Devices of one type on a platform; a platform with none gives count 0. */
static pn_status get_devices(cl_platform_id platform, cl_device_type type, cl_device_id *ids,
                             cl_uint *count, pn_error *err)
{
    pn_status st = PN_OK;
    cl_int rc = clGetDeviceIDs(platform, type, PN_CL_MAX_DEVICES, ids, count);
    if (rc == CL_DEVICE_NOT_FOUND) {
        *count = 0;
        return PN_OK;
    }
    PN_CL_CHECK(rc, st, err, done);
    if (*count > PN_CL_MAX_DEVICES)
        *count = PN_CL_MAX_DEVICES;
done:
    return st;
}

static pn_status platform_name(cl_platform_id platform, char *name, size_t len, pn_error *err)
{
    pn_status st = PN_OK;
    PN_CL_CHECK(clGetPlatformInfo(platform, CL_PLATFORM_NAME, len, name, NULL), st, err, done);
done:
    return st;
}

static pn_status device_name(cl_device_id device, char *name, size_t len, pn_error *err)
{
    pn_status st = PN_OK;
    PN_CL_CHECK(clGetDeviceInfo(device, CL_DEVICE_NAME, len, name, NULL), st, err, done);
done:
    return st;
}

/* Default choice: the first GPU of any platform, else the first device of any type. */
static pn_status select_default(const cl_platform_id *plats, cl_uint nplat,
                                pn_cl_selection *sel, pn_error *err)
{
    static const cl_device_type order[2] = {CL_DEVICE_TYPE_GPU, CL_DEVICE_TYPE_ALL};
    for (int t = 0; t < 2; t++) {
        for (cl_uint i = 0; i < nplat; i++) {
            cl_uint n = 0;
            pn_status st = get_devices(plats[i], order[t], sel->devices, &n, err);
            if (st != PN_OK)
                return st;
            if (n > 0) {
                sel->platform = plats[i];
                sel->count = 1;
                return PN_OK;
            }
        }
    }
    return pn_fail(err, PN_ERR_OPENCL, "no OpenCL device found on %u platform(s)",
                   (unsigned)nplat);
}

/* --device P:D, or every device of platform P (all = 0:all, or P:all). */
static pn_status select_chosen(const pn_device_choice *choice, const cl_platform_id *plats,
                               cl_uint nplat, pn_cl_selection *sel, pn_error *err)
{
    unsigned p = choice->platform;
    if (p >= nplat)
        return pn_fail(err, PN_ERR_USAGE,
                       "--device: no OpenCL platform #%u (there %s %u platform%s, #0..#%u)", p,
                       nplat == 1 ? "is" : "are", (unsigned)nplat, nplat == 1 ? "" : "s",
                       (unsigned)nplat - 1);
    cl_device_id all[PN_CL_MAX_DEVICES];
    cl_uint n = 0;
    pn_status st = get_devices(plats[p], CL_DEVICE_TYPE_ALL, all, &n, err);
    if (st != PN_OK)
        return st;
    if (n == 0)
        return pn_fail(err, PN_ERR_OPENCL, "OpenCL platform #%u has no devices", p);
    sel->platform = plats[p];
    if (choice->all) {
        memcpy(sel->devices, all, n * sizeof all[0]);
        sel->count = n;
        return PN_OK;
    }
    if (choice->device >= n)
        return pn_fail(err, PN_ERR_USAGE,
                       "--device %u:%u: platform #%u has no device #%u (it has %u device%s, "
                       "#0..#%u)",
                       p, choice->device, p, choice->device, (unsigned)n, n == 1 ? "" : "s",
                       (unsigned)n - 1);
    sel->devices[0] = all[choice->device];
    sel->count = 1;
    return PN_OK;
}

pn_status pn_cl_select_devices(const pn_device_choice *choice, pn_cl_selection *sel,
                               pn_error *err)
{
    cl_platform_id plats[PN_CL_MAX_PLATFORMS];
    cl_uint nplat = 0;
    memset(sel, 0, sizeof *sel);
    pn_status st = get_platforms(plats, &nplat, err);
    if (st == PN_OK)
        st = (choice->chosen || choice->all)
                 ? select_chosen(choice, plats, nplat, sel, err)
                 : select_default(plats, nplat, sel, err);
    if (st == PN_OK)
        st = platform_name(sel->platform, sel->platform_name, sizeof sel->platform_name, err);
    for (cl_uint i = 0; st == PN_OK && i < sel->count; i++)
        st = device_name(sel->devices[i], sel->device_names[i], sizeof sel->device_names[i],
                         err);
    return st;
}

/* "CPU", "GPU", "ACCELERATOR" or "OTHER" from the type bits. */
static const char *type_name(cl_device_type type)
{
    if (type & CL_DEVICE_TYPE_GPU)
        return "GPU";
    if (type & CL_DEVICE_TYPE_CPU)
        return "CPU";
    if (type & CL_DEVICE_TYPE_ACCELERATOR)
        return "ACCELERATOR";
    return "OTHER";
}

/* Appends printf-style text to a growing malloc'd buffer; false when out of memory. */
static bool append(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static bool append(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    size_t add = n < 0 ? 0 : strlen(line);
    if (*len + add + 1 > *cap) {
        size_t ncap = (*cap + add + 1) * 2;
        char *nbuf = realloc(*buf, ncap);
        if (!nbuf)
            return false;
        *buf = nbuf;
        *cap = ncap;
    }
    memcpy(*buf + *len, line, add + 1);
    *len += add;
    return true;
}

/* One " `-- Device #i: NAME (TYPE, N compute units)" line. */
static pn_status list_device(cl_device_id dev, unsigned i, char **buf, size_t *len,
                             size_t *cap, pn_error *err)
{
    char name[256];
    cl_device_type type = 0;
    cl_uint units = 0;
    pn_status st = device_name(dev, name, sizeof name, err);
    if (st != PN_OK)
        return st;
    PN_CL_CHECK(clGetDeviceInfo(dev, CL_DEVICE_TYPE, sizeof type, &type, NULL), st, err, done);
    PN_CL_CHECK(clGetDeviceInfo(dev, CL_DEVICE_MAX_COMPUTE_UNITS, sizeof units, &units, NULL),
                st, err, done);
    if (!append(buf, len, cap, " `-- Device #%u: %s (%s, %u compute unit%s)\n", i, name,
                type_name(type), (unsigned)units, units == 1 ? "" : "s"))
        st = pn_fail(err, PN_ERR_NOMEM, "out of memory listing devices");
done:
    return st;
}

/* The "Platform #p: NAME" line and its devices. */
static pn_status list_platform(cl_platform_id plat, unsigned p, char **buf, size_t *len,
                               size_t *cap, pn_error *err)
{
    char name[256];
    cl_device_id devs[PN_CL_MAX_DEVICES];
    cl_uint n = 0;
    pn_status st = platform_name(plat, name, sizeof name, err);
    if (st == PN_OK && !append(buf, len, cap, "Platform #%u: %s\n", p, name))
        st = pn_fail(err, PN_ERR_NOMEM, "out of memory listing devices");
    if (st == PN_OK)
        st = get_devices(plat, CL_DEVICE_TYPE_ALL, devs, &n, err);
    for (cl_uint i = 0; st == PN_OK && i < n; i++)
        st = list_device(devs[i], i, buf, len, cap, err);
    return st;
}

pn_status pn_cl_list_devices(char **text_out, pn_error *err)
{
    cl_platform_id plats[PN_CL_MAX_PLATFORMS];
    cl_uint nplat = 0;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    *text_out = NULL;
    pn_status st = get_platforms(plats, &nplat, err);
    if (st == PN_OK && !append(&buf, &len, &cap, "%s", ""))
        st = pn_fail(err, PN_ERR_NOMEM, "out of memory listing devices");
    for (cl_uint p = 0; st == PN_OK && p < nplat; p++)
        st = list_platform(plats[p], p, &buf, &len, &cap, err);
    if (st != PN_OK) {
        free(buf);
        return st;
    }
    *text_out = buf;
    return PN_OK;
}

pn_status pn_cl_device_has_extension(cl_device_id device, const char *extension,
                                     bool *has, pn_error *err)
{
    pn_status st = PN_OK;
    size_t size = 0;
    char *text = NULL;
    PN_CL_CHECK(clGetDeviceInfo(device, CL_DEVICE_EXTENSIONS, 0, NULL, &size), st, err, done);
    text = malloc(size + 1);
    if (!text)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory reading device extensions");
    PN_CL_CHECK(clGetDeviceInfo(device, CL_DEVICE_EXTENSIONS, size, text, NULL), st, err,
                free_text);
    text[size] = '\0';
    size_t elen = strlen(extension);
    *has = false;
    for (const char *p = strstr(text, extension); p; p = strstr(p + elen, extension))
        if ((p == text || p[-1] == ' ') && (p[elen] == ' ' || p[elen] == '\0'))
            *has = true;
free_text:
    free(text);
done:
    return st;
}

/* ---- program builds -------------------------------------------------- */

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
