/* SPDX-License-Identifier: GPL-3.0-or-later */
/* opencl_error.c -- OpenCL status codes by name, and the message every failed OpenCL call leaves in a pn_error. */
#include "opencl/pn_opencl_error.h"

#include <string.h>

#include <CL/cl_ext.h>

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
