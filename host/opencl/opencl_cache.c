/* SPDX-License-Identifier: GPL-3.0-or-later */
/* opencl_cache.c -- the on-disk cache of built OpenCL program binaries. */
#include "opencl/pn_opencl_cache.h"
#include "opencl/pn_opencl_error.h"
#include "base/pn_file.h"
#include "base/pn_hash.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHE_MAGIC PN_CL_CACHE_MAGIC
#define CACHE_INFO_MAX 1024
/* No program binary of ours comes near this; a bigger file is not ours. */
#define CACHE_MAX_BYTES ((size_t)256 << 20)

static uint64_t fnv1a(const char *data, size_t len)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)data[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* The cache directory: $XDG_CACHE_HOME/powernap_calculator when that is an
 * absolute path (the XDG rule), else $HOME/.cache/powernap_calculator. */
static bool cache_dir(char *dir, size_t len)
{
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    int n;
    if (xdg && xdg[0] == '/')
        n = snprintf(dir, len, "%s/powernap_calculator", xdg);
    else if (home && home[0] != '\0')
        n = snprintf(dir, len, "%s/.cache/powernap_calculator", home);
    else
        return false;
    return n > 0 && (size_t)n < len;
}

/* Appends text and its terminating NUL to a growing key; false when out of memory. */
static bool key_append(pn_cl_cache_entry *e, const char *text)
{
    size_t add = strlen(text) + 1;
    char *grown = realloc(e->key, e->key_len + add);
    if (!grown)
        return false;
    memcpy(grown + e->key_len, text, add);
    e->key = grown;
    e->key_len += add;
    return true;
}

/* The device's platform name, device name and driver version. */
static pn_status device_identity(cl_device_id dev, char (*info)[CACHE_INFO_MAX], pn_error *err)
{
    pn_status st = PN_OK;
    cl_platform_id plat = NULL;
    PN_CL_CHECK(clGetDeviceInfo(dev, CL_DEVICE_PLATFORM, sizeof plat, &plat, NULL), st, err,
                done);
    PN_CL_CHECK(clGetPlatformInfo(plat, CL_PLATFORM_NAME, CACHE_INFO_MAX, info[0], NULL), st,
                err, done);
    PN_CL_CHECK(clGetDeviceInfo(dev, CL_DEVICE_NAME, CACHE_INFO_MAX, info[1], NULL), st, err,
                done);
    PN_CL_CHECK(clGetDeviceInfo(dev, CL_DRIVER_VERSION, CACHE_INFO_MAX, info[2], NULL), st,
                err, done);
done:
    return st;
}

/* Fills one device's key and file name. */
static bool cache_entry_make(pn_cl_cache *c, pn_cl_cache_entry *e, cl_device_id dev,
                             const char *options, const char *source)
{
    char info[3][CACHE_INFO_MAX];
    pn_error ignored;
    if (device_identity(dev, info, &ignored) != PN_OK)
        return false;
    for (int i = 0; i < 3; i++)
        if (!key_append(e, info[i]))
            return false;
    if (!key_append(e, options ? options : "") || !key_append(e, source))
        return false;
    int n = snprintf(e->path, sizeof e->path, "%s/%016llx.bin", c->dir,
                     (unsigned long long)fnv1a(e->key, e->key_len));
    return n > 0 && (size_t)n < sizeof e->path;
}

void pn_cl_cache_close(pn_cl_cache *c)
{
    for (cl_uint i = 0; i < c->count; i++)
        free(c->entry[i].key);
    memset(c, 0, sizeof *c);
}

/* Decides whether this build uses the cache (yes unless PN_CL_CACHE=off)
 * and prepares each device's key. */
void pn_cl_cache_open(pn_cl_cache *c, cl_uint ndevices, const cl_device_id *devices,
                       const char *options, const char *source)
{
    memset(c, 0, sizeof *c);
    const char *mode = getenv("PN_CL_CACHE");
    if ((mode && strcmp(mode, "off") == 0) || ndevices == 0 || ndevices > PN_CL_MAX_DEVICES ||
        !cache_dir(c->dir, sizeof c->dir))
        return;
    bool ok = true;
    for (cl_uint i = 0; ok && i < ndevices; i++) {
        c->count = i + 1;
        ok = cache_entry_make(c, &c->entry[i], devices[i], options, source);
    }
    c->enabled = ok;
    if (!c->enabled)
        pn_cl_cache_close(c);
}

/* Whether the SHA-256 of bin[0, len) is `digest`. */
static bool digest_matches(const unsigned char *bin, size_t len, const unsigned char *digest)
{
    unsigned char got[PN_SHA256_BYTES];
    pn_sha256(bin, len, got);
    return memcmp(got, digest, PN_SHA256_BYTES) == 0;
}

/* The binary stored for e, pointing into the malloc'd file image *image;
 * false when the file is missing, truncated, of another version, holds
 * another key, or its binary does not match the stored SHA-256. */
static bool cache_read(const pn_cl_cache_entry *e, unsigned char **image,
                       const unsigned char **bin, size_t *bin_len)
{
    size_t len, mlen = strlen(CACHE_MAGIC);
    uint64_t klen, blen;
    pn_error ignored;
    if (pn_read_file(e->path, CACHE_MAX_BYTES, (char **)image, &len, &ignored) != PN_OK)
        return false;
    const unsigned char *p = *image, *end = *image + len;
    bool ok = len >= mlen + 16 && memcmp(p, CACHE_MAGIC, mlen) == 0;
    if (ok) {
        memcpy(&klen, p + mlen, 8);
        p += mlen + 8;
        ok = klen == e->key_len && (size_t)(end - p) >= klen + 8 + PN_SHA256_BYTES &&
             memcmp(p, e->key, klen) == 0;
    }
    if (ok) {
        memcpy(&blen, p + klen, 8);
        p += klen + 8 + PN_SHA256_BYTES;
        ok = blen > 0 && blen == (uint64_t)(end - p) &&
             digest_matches(p, (size_t)blen, p - PN_SHA256_BYTES);
    }
    if (!ok) {
        free(*image);
        *image = NULL;
        return false;
    }
    *bin = p;
    *bin_len = (size_t)blen;
    return true;
}

/* Creates the program from every device's cached binary and builds it;
 * false (with nothing left to release) when any step fails. */
bool pn_cl_cache_load(const pn_cl_cache *c, cl_context context, const cl_device_id *devices,
                       const char *options, cl_program *out)
{
    unsigned char *image[PN_CL_MAX_DEVICES] = {0};
    const unsigned char *bin[PN_CL_MAX_DEVICES];
    size_t bin_len[PN_CL_MAX_DEVICES];
    cl_int bin_status[PN_CL_MAX_DEVICES];
    pn_status st = PN_OK;
    pn_error ignored;
    cl_int rc = CL_SUCCESS;
    cl_program program = NULL;
    for (cl_uint i = 0; i < c->count; i++)
        if (!cache_read(&c->entry[i], &image[i], &bin[i], &bin_len[i]))
            goto free_images;
    program = clCreateProgramWithBinary(context, c->count, devices, bin_len, bin, bin_status,
                                        &rc);
    PN_CL_CHECK(rc, st, &ignored, free_images);
    for (cl_uint i = 0; i < c->count; i++)
        PN_CL_CHECK(bin_status[i], st, &ignored, release_program);
    PN_CL_CHECK(clBuildProgram(program, c->count, devices, options, NULL, NULL), st, &ignored,
                release_program);
    *out = program;
    program = NULL;
release_program:
    if (program)
        PN_CL_CHECK_CLEANUP(clReleaseProgram(program), st, &ignored);
free_images:
    for (cl_uint i = 0; i < c->count; i++)
        free(image[i]);
    return *out != NULL && st == PN_OK;
}

/* mkdir -p, mode 0700 for what it creates; false when dir is not a directory after. */
static bool make_dirs(const char *dir)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s", dir);
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        mkdir(path, 0700);
        *p = '/';
    }
    mkdir(path, 0700);
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* Writes e's file (magic, key, length, SHA-256, binary) atomically: a
 * temporary file in the same directory, renamed over the final name once
 * complete. */
static void cache_write(const pn_cl_cache *c, const pn_cl_cache_entry *e,
                        const unsigned char *bin, size_t bin_len)
{
    char tmp[PATH_MAX];
    int n = snprintf(tmp, sizeof tmp, "%s.XXXXXX", e->path);
    if (n <= 0 || (size_t)n >= sizeof tmp || !make_dirs(c->dir))
        return;
    int fd = mkstemp(tmp);
    if (fd < 0)
        return;
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        close(fd);
        unlink(tmp);
        return;
    }
    uint64_t klen = e->key_len, blen = bin_len;
    unsigned char digest[PN_SHA256_BYTES];
    pn_sha256(bin, bin_len, digest);
    bool ok = fwrite(CACHE_MAGIC, 1, strlen(CACHE_MAGIC), f) == strlen(CACHE_MAGIC) &&
              fwrite(&klen, 8, 1, f) == 1 && fwrite(e->key, 1, e->key_len, f) == e->key_len &&
              fwrite(&blen, 8, 1, f) == 1 && fwrite(digest, 1, sizeof digest, f) == sizeof digest &&
              fwrite(bin, 1, bin_len, f) == bin_len;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, e->path) != 0)
        unlink(tmp);
}

/* Index of dev in the cache's devices, or c->count when absent. */
static cl_uint cache_index(const cl_device_id *devices, cl_uint count, cl_device_id dev)
{
    cl_uint i = 0;
    while (i < count && devices[i] != dev)
        i++;
    return i;
}

/* Stores the binary of every device of a freshly built program. */
void pn_cl_cache_store(const pn_cl_cache *c, cl_program program, const cl_device_id *devices)
{
    pn_status st = PN_OK;
    pn_error ignored;
    cl_uint n = 0;
    cl_device_id pdev[PN_CL_MAX_DEVICES];
    size_t size[PN_CL_MAX_DEVICES] = {0};
    unsigned char *bin[PN_CL_MAX_DEVICES] = {0};
    PN_CL_CHECK(clGetProgramInfo(program, CL_PROGRAM_NUM_DEVICES, sizeof n, &n, NULL), st,
                &ignored, done);
    if (n == 0 || n > PN_CL_MAX_DEVICES)
        goto done;
    PN_CL_CHECK(clGetProgramInfo(program, CL_PROGRAM_DEVICES, n * sizeof pdev[0], pdev, NULL),
                st, &ignored, done);
    PN_CL_CHECK(clGetProgramInfo(program, CL_PROGRAM_BINARY_SIZES, n * sizeof size[0], size,
                                 NULL), st, &ignored, done);
    for (cl_uint j = 0; j < n; j++)
        if (size[j] == 0 || !(bin[j] = malloc(size[j])))
            goto free_binaries;
    PN_CL_CHECK(clGetProgramInfo(program, CL_PROGRAM_BINARIES, n * sizeof bin[0], bin, NULL),
                st, &ignored, free_binaries);
    for (cl_uint j = 0; j < n; j++) {
        cl_uint i = cache_index(devices, c->count, pdev[j]);
        if (i < c->count)
            cache_write(c, &c->entry[i], bin[j], size[j]);
    }
free_binaries:
    for (cl_uint j = 0; j < n; j++)
        free(bin[j]);
done:
    (void)st; /* a failed store only means the next run builds from source */
}
