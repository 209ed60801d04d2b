/* SPDX-License-Identifier: GPL-3.0-or-later */
/* opencl_device.c -- OpenCL platforms and devices: --device selection, the --list-devices tree, extensions. */
#include "opencl/pn_opencl_device.h"
#include "opencl/pn_opencl_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CL/cl_ext.h>

#define PN_CL_MAX_PLATFORMS 16

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

/* Appends text to out (len bytes, *n used), truncating at the end. */
static void append_text(char *out, size_t len, size_t *n, const char *text)
{
    size_t add = strlen(text);
    if (*n + add >= len)
        add = len - 1 - *n;
    memcpy(out + *n, text, add);
    *n += add;
    out[*n] = '\0';
}

void pn_cl_selection_describe(const pn_cl_selection *sel, char *out, size_t len)
{
    size_t n = 0;
    out[0] = '\0';
    append_text(out, len, &n, "opencl (");
    for (cl_uint d = 0; d < sel->count; d++) {
        append_text(out, len, &n, d ? " + " : "");
        append_text(out, len, &n, sel->device_names[d]);
    }
    append_text(out, len, &n, " on ");
    append_text(out, len, &n, sel->platform_name);
    append_text(out, len, &n, ")");
}
