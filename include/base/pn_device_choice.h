/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pn_device_choice.h -- which OpenCL device(s) --device names, as plain data that needs no OpenCL header. */
#ifndef PN_DEVICE_CHOICE_H
#define PN_DEVICE_CHOICE_H

#include <stdbool.h>

/* --device: nothing (the first GPU, else the first device), "P:D", or
 * "all" / "P:all" (every device of platform 0 / P). */
typedef struct pn_device_choice {
    bool chosen;       /* --device P:D was given */
    bool all;          /* --device all or P:all */
    unsigned platform; /* 0-based, as clinfo -l numbers them */
    unsigned device;
} pn_device_choice;

#endif
