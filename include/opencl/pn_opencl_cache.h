/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_opencl_cache.h -- built OpenCL program binaries kept on disk, so later runs skip the compile. */
#ifndef PN_OPENCL_CACHE_H
#define PN_OPENCL_CACHE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include <CL/cl.h>

#include "opencl/pn_opencl_device.h"

/* Every platform gets the cache, POCL too: POCL keeps a kernel cache of its
 * own, but still runs clang's preprocessor over the source on every build
 * to find its entry (0.05-0.2 s on the development VM), where loading our
 * binary takes about 0.015 s. Each device's binary lives in DIR/<hash>.bin, where hash is FNV-1a over the key text
 * (platform name, device name, driver version, build options and kernel
 * source, NUL-separated). The file holds PN_CL_CACHE_MAGIC, the key text's
 * length and the text itself (so a hash collision or a stale file is
 * recognised, not loaded), then the binary's length, the binary's SHA-256
 * and the binary (lengths as 8 host-order bytes). The checksum is verified
 * before a driver sees the binary: a damaged one can crash the driver
 * (POCL asserts) rather than fail cleanly. Every failure here is silent:
 * the caller then builds from source and stores a fresh entry over the bad
 * one, and a store that fails leaves nothing behind. */

/* The first line of every cache file; its version changes with the layout,
 * so entries an older build wrote read as stale. */
#define PN_CL_CACHE_MAGIC "powernap_calculator OpenCL program binary v2\n"

/* One device's cache file: its key text and where it lives. */
typedef struct pn_cl_cache_entry {
    char *key;       /* malloc'd key text */
    size_t key_len;
    char path[PATH_MAX];
} pn_cl_cache_entry;

/* The cache as one build sees it; `enabled` false means build from source
 * and store nothing. */
typedef struct pn_cl_cache {
    bool enabled;
    char dir[PATH_MAX];
    cl_uint count;
    pn_cl_cache_entry entry[PN_CL_MAX_DEVICES];
} pn_cl_cache;

/* Decides whether this build uses the cache (yes unless PN_CL_CACHE=off)
 * and prepares each device's key. */
void pn_cl_cache_open(pn_cl_cache *c, cl_uint ndevices, const cl_device_id *devices,
                      const char *options, const char *source);

/* Creates the program from every device's cached binary and builds it;
 * false (with nothing left to release) when any step fails. */
bool pn_cl_cache_load(const pn_cl_cache *c, cl_context context, const cl_device_id *devices,
                      const char *options, cl_program *out);

/* Stores the binary of every device of a freshly built program; a failure
 * only means the next run builds from source. */
void pn_cl_cache_store(const pn_cl_cache *c, cl_program program, const cl_device_id *devices);

/* Frees the keys; safe on a closed or disabled cache. */
void pn_cl_cache_close(pn_cl_cache *c);

#endif
