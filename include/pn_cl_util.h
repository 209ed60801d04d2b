/* pn_cl_util.h -- OpenCL plumbing: error names, the check macro, device choice, program build and cache. */
#ifndef PN_CL_UTIL_H
#define PN_CL_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <CL/cl.h>

#include "pn_engine.h"
#include "pn_histogram.h"
#include "pn_progress.h"
#include "pn_query.h"
#include "pn_status.h"

/* Checks one OpenCL call (or a comma expression ending in its cl_int status,
 * for calls that report through errcode_ret). On failure it writes
 * "clFoo failed: CL_NAME (-n) at file:line" into err, stores PN_ERR_OPENCL in
 * st and jumps to label, the cleanup that frees what was made so far. */
#define PN_CL_CHECK(call, st, err, label)                                          \
    do {                                                                           \
        cl_int pn_cl_rc_ = (call);                                                 \
        if (pn_cl_rc_ != CL_SUCCESS) {                                             \
            (st) = pn_cl_fail((err), #call, __FILE__, __LINE__, pn_cl_rc_);        \
            goto label;                                                            \
        }                                                                          \
    } while (0)

/* For release calls in cleanup code: checks like PN_CL_CHECK but records the
 * failure only when nothing failed before (the first error is the one kept),
 * and never jumps. */
#define PN_CL_CHECK_CLEANUP(call, st, err)                                         \
    do {                                                                           \
        cl_int pn_cl_rc_ = (call);                                                 \
        if (pn_cl_rc_ != CL_SUCCESS && (st) == PN_OK)                              \
            (st) = pn_cl_fail((err), #call, __FILE__, __LINE__, pn_cl_rc_);        \
    } while (0)

/* Most devices one run drives (one progress slot each). */
#define PN_CL_MAX_DEVICES PN_PROGRESS_MAX_DEVICES

/* The symbolic name of an OpenCL status ("CL_OUT_OF_RESOURCES"), or
 * "CL_UNKNOWN_ERROR" for a value no header of ours names. */
const char *pn_cl_error_name(cl_int code);

/* Writes the message PN_CL_CHECK describes into err and returns
 * PN_ERR_OPENCL. `call` is the call's source text; only the name of the
 * first cl* function in it is kept. */
pn_status pn_cl_fail(pn_error *err, const char *call, const char *file, int line,
                     cl_int code);

/* The devices a run uses: one platform and 1..PN_CL_MAX_DEVICES of its devices. */
typedef struct pn_cl_selection {
    cl_platform_id platform;
    char platform_name[256];
    cl_uint count;
    cl_device_id devices[PN_CL_MAX_DEVICES];
    char device_names[PN_CL_MAX_DEVICES][256];
} pn_cl_selection;

/* Resolves --device. Not chosen: the first GPU of any platform, else the first
 * device of any type. P:D: device D of platform P (0-based, clinfo -l order).
 * all: every device of platform P (platform 0 unless P was chosen).
 * PN_ERR_USAGE names a bad index and how many exist; PN_ERR_OPENCL when no
 * platform or no device exists or a query fails. */
pn_status pn_cl_select_devices(const pn_device_choice *choice, pn_cl_selection *sel,
                               pn_error *err);

/* Builds a malloc'd clinfo-like tree for --list-devices:
 *   Platform #0: NAME
 *    `-- Device #0: NAME (CPU, 2 compute units)
 * The caller frees *text_out. PN_ERR_OPENCL when there is no platform. */
pn_status pn_cl_list_devices(char **text_out, pn_error *err);

/* True when the device's extension string lists `extension`. */
pn_status pn_cl_device_has_extension(cl_device_id device, const char *extension,
                                     bool *has, pn_error *err);

/* Creates and builds a program for the given devices. A failed build returns
 * PN_ERR_OPENCL with the options and (the start and end of) the build log in
 * the message; nothing is left to release then.
 *
 * Built binaries are cached per device under $XDG_CACHE_HOME/powernap_calculator
 * (else $HOME/.cache/powernap_calculator), keyed by platform name, device
 * name, driver version, options and source, and loaded instead of compiling
 * when present. POCL, which caches its own builds, is skipped unless
 * PN_CL_CACHE=force; PN_CL_CACHE=off disables the cache everywhere. The cache
 * never makes a build fail: an unreadable, stale or rejected binary means a
 * build from source, an unwritable directory means no cache. */
pn_status pn_cl_build_program(cl_context context, cl_uint ndevices,
                              const cl_device_id *devices, const char *source,
                              const char *options, cl_program *out, pn_error *err);

/* An open OpenCL context on the chosen devices, with the kernels built and
 * self-tested, reusable for many queries (the test suite runs thousands of
 * queries through one session). Defined in engine_opencl.c. */
typedef struct pn_opencl_session pn_opencl_session;

/* Opens a session on the devices `choice` names. With specialise false the
 * kernels are built once with run-time parameters; with specialise true each
 * query's hosts, base, guests and low digits reach the compiler as -D options
 * (one build per distinct query, cached for the session's life). Runs the
 * known-answer self-test on every device: PN_ERR_SELFTEST on a mismatch. */
pn_status pn_opencl_session_open(const pn_device_choice *choice, bool specialise,
                                 pn_opencl_session **out, pn_error *err);

/* Adds the counts of q's slice into hist, exactly as pn_engine_opencl_run. */
pn_status pn_opencl_session_run(pn_opencl_session *s, const pn_query *q, pn_run *run,
                                pn_histogram *hist, pn_error *err);

/* Releases everything; safe on NULL. */
void pn_opencl_session_close(pn_opencl_session *s);

#endif
