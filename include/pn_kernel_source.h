/* pn_kernel_source.h -- the OpenCL C source of the kernels, embedded at build time. */
#ifndef PN_KERNEL_SOURCE_H
#define PN_KERNEL_SOURCE_H

#include <stddef.h>

extern const char pn_kernel_source[];
extern const size_t pn_kernel_source_len;

#endif
