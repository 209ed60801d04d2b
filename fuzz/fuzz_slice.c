/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_slice.c -- libFuzzer target: arbitrary bytes through the slice JSON reader that merge uses. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "slice/pn_slice.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pn_slice slice;
    pn_error err;
    err.msg[0] = '\0';
    memset(&slice, 0, sizeof slice);
    pn_status st = pn_slice_parse((const char *)data, size, &slice, &err);
    if (st != PN_OK && strlen(err.msg) == 0)
        abort(); /* a refusal always says why */
    pn_slice_clear(&slice);
    return 0;
}
