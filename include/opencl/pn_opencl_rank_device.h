/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_opencl_rank_device.h -- the OpenCL device the n-th process on a node drives when --device does not say (the MPI binary's one device per rank). */
#ifndef PN_OPENCL_RANK_DEVICE_H
#define PN_OPENCL_RANK_DEVICE_H

#include "base/pn_device_choice.h"
#include "base/pn_status.h"

/* The device for the process with node-local index `local` (0-based, among
 * the processes of one node that enumerate): the local-th GPU, counted
 * modulo their number, of the first platform that has a GPU; when no
 * platform has one, the local-th device (modulo) of the first platform with
 * any device. *out then names it as --device P:D would (chosen, 0-based,
 * clinfo -l order). PN_ERR_OPENCL when there is no platform or device. */
pn_status pn_cl_rank_device(unsigned local, pn_device_choice *out, pn_error *err);

#endif
