/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_fuzz_regressions.c -- replays the fuzz seed corpus and every saved fuzz crash through both parsers. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "cli/pn_cli.h"
#include "slice/pn_slice.h"

/* PN_SOURCE_DIR is the repository root, set by the Makefile. */
#ifndef PN_SOURCE_DIR
#define PN_SOURCE_DIR ".."
#endif

typedef void (*replay_fn)(const char *data, size_t size);

/* Splits at NUL into argv, exactly as fuzz/fuzz_cli.c does. */
static void replay_cli(const char *data, size_t size)
{
    char *buf = malloc(size + 1);
    memcpy(buf, data, size);
    buf[size] = '\0';
    char *argv[66] = {"powernap_calculator"};
    int argc = 1;
    for (size_t i = 0; i <= size && argc <= 64; argc++) {
        argv[argc] = buf + i;
        i += strlen(buf + i) + 1;
    }
    pn_options opts;
    pn_error err = {{0}};
    if (pn_cli_parse(argc, argv, &opts, &err) != PN_OK)
        cr_assert(err.msg[0], "a refusal says why");
    pn_cli_free(&opts);
    free(buf);
}

static void replay_slice(const char *data, size_t size)
{
    pn_slice slice;
    pn_error err = {{0}};
    memset(&slice, 0, sizeof slice);
    if (pn_slice_parse(data, size, &slice, &err) != PN_OK)
        cr_assert(err.msg[0], "a refusal says why");
    pn_slice_clear(&slice);
}

/* Feeds every regular file of dir to replay; returns how many. */
static int replay_dir(const char *dir, replay_fn replay)
{
    char path[4096];
    int count = 0;
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "%s", dir);
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        cr_assert_not_null(f, "%s", path);
        char *data = malloc(1 << 20);
        size_t n = fread(data, 1, 1 << 20, f);
        fclose(f);
        replay(data, n);
        free(data);
        count++;
    }
    closedir(d);
    return count;
}

Test(fuzz_regressions, cli_corpus_and_crashes)
{
    cr_assert_gt(replay_dir(PN_SOURCE_DIR "/fuzz/seed/cli", replay_cli), 0);
    replay_dir(PN_SOURCE_DIR "/fuzz/regressions/cli", replay_cli);
}

Test(fuzz_regressions, slice_corpus_and_crashes)
{
    cr_assert_gt(replay_dir(PN_SOURCE_DIR "/fuzz/seed/slice", replay_slice), 0);
    replay_dir(PN_SOURCE_DIR "/fuzz/regressions/slice", replay_slice);
}
