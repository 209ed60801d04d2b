/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_cli.c -- libFuzzer target: arbitrary bytes, split at NUL into argv, through the option parser. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/pn_cli.h"

#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* One NUL-terminated copy, so every argument ends inside the buffer. */
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    char *argv[MAX_ARGS + 2] = {"powernap_calculator"};
    int argc = 1;
    for (size_t i = 0; i <= size && argc <= MAX_ARGS; argc++) {
        argv[argc] = buf + i;
        i += strlen(buf + i) + 1;
    }
    argv[argc] = NULL;
    pn_options opts;
    pn_error err;
    err.msg[0] = '\0';
    if (pn_cli_parse(argc, argv, &opts, &err) != PN_OK && strlen(err.msg) == 0)
        abort(); /* a refusal always says why */
    pn_cli_free(&opts);
    free(buf);
    return 0;
}
