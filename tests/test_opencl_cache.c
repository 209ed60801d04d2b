/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_opencl_cache.c -- the OpenCL program binary cache: stored, reused, survives bad files and unwritable directories. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/pn_engine.h"
#include "opencl/pn_opencl_cache.h"
#include "opencl/pn_opencl_device.h"
#include "base/pn_hash.h"
#include "engine_fixture.h"
#include "file_fixture.h"
#include "query_fixture.h"

/* Each test runs in its own process, so setenv here touches no other test. */
static char tmp_root[64];
static char cache_dir[128];

static void make_tmp(void)
{
    temp_dir_make(tmp_root, sizeof tmp_root, "cl-cache");
    snprintf(cache_dir, sizeof cache_dir, "%s/powernap_calculator", tmp_root);
    cr_assert_eq(setenv("XDG_CACHE_HOME", tmp_root, 1), 0);
    cr_assert_eq(setenv("PN_CL_CACHE", "force", 1), 0);
    /* POCL keeps its own cache under $XDG_CACHE_HOME too and finds no device
     * when it cannot create it; give it a directory of its own. */
    char pocl[128];
    snprintf(pocl, sizeof pocl, "%s/pocl", tmp_root);
    cr_assert_eq(setenv("POCL_CACHE_DIR", pocl, 1), 0);
}

/* rm -rf of the temporary tree (the cache and POCL's own cache under it). */
static void remove_tmp(void)
{
    remove_tree(tmp_root);
}

TestSuite(opencl_cache, .init = make_tmp, .fini = remove_tmp, .timeout = 120);

/* The seed's 4/2/3 through the OpenCL engine on the default device. */
static void run_seed(void)
{
    pn_query q = query(4, 2, 3, PN_MODEL_UNIFORM);
    pn_histogram h = {0};
    engine_ok(pn_engine_opencl_run, &q, &h);
    ASSERT_BINS(&h, 0, 4, 12, 0, 0);
    pn_histogram_clear(&h);
}

/* The cache files: how many, and the inode of the first (by name). */
static int cache_files(ino_t *first_inode)
{
    DIR *d = opendir(cache_dir);
    int n = 0;
    char first[256] = "";
    if (!d)
        return 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        cr_assert(e->d_name[0] == '.' || (len > 4 && strcmp(e->d_name + len - 4, ".bin") == 0),
                  "stray file %s in the cache (a temporary file left behind?)", e->d_name);
        if (e->d_name[0] == '.')
            continue;
        if (n++ == 0 || strcmp(e->d_name, first) < 0)
            snprintf(first, sizeof first, "%s", e->d_name);
    }
    closedir(d);
    if (n > 0 && first_inode) {
        char path[512];
        struct stat sb;
        snprintf(path, sizeof path, "%s/%s", cache_dir, first);
        cr_assert_eq(stat(path, &sb), 0);
        *first_inode = sb.st_ino;
    }
    return n;
}

/* Overwrites every cache file with `text`. */
static void spoil_cache(const char *text)
{
    DIR *d = opendir(cache_dir);
    cr_assert_not_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", cache_dir, e->d_name);
        FILE *f = fopen(path, "wb");
        cr_assert_not_null(f);
        fputs(text, f);
        fclose(f);
    }
    closedir(d);
}

/* Calls fn on the path of every cache file. */
static void each_cache_file(void (*fn)(const char *path))
{
    DIR *d = opendir(cache_dir);
    cr_assert_not_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", cache_dir, e->d_name);
        fn(path);
    }
    closedir(d);
}

/* Zeroes the second half of the file (its binary's tail, for our files),
 * keeping its length: the damage a torn write or a bad disk leaves. */
static void zero_second_half(const char *path)
{
    size_t len;
    unsigned char *data = read_bytes(path, &len);
    memset(data + len / 2, 0, len - len / 2);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    fclose(f);
    free(data);
}

/* Reads the file as pn_opencl_cache.h lays it out and insists it is whole:
 * the current magic, the key, the binary's length, and a SHA-256 that
 * matches the binary. */
static void assert_entry_checks_out(const char *path)
{
    size_t len, mlen = strlen(PN_CL_CACHE_MAGIC);
    uint64_t klen, blen;
    unsigned char *data = read_bytes(path, &len), digest[PN_SHA256_BYTES];
    cr_assert(len > mlen + 8 && memcmp(data, PN_CL_CACHE_MAGIC, mlen) == 0,
              "%s: not a current cache file", path);
    memcpy(&klen, data + mlen, 8);
    size_t at = mlen + 8 + (size_t)klen;
    cr_assert(klen < len && at + 8 + PN_SHA256_BYTES <= len, "%s: key runs past the end", path);
    memcpy(&blen, data + at, 8);
    at += 8;
    cr_assert_eq(blen, len - at - PN_SHA256_BYTES, "%s: binary length", path);
    pn_sha256(data + at + PN_SHA256_BYTES, (size_t)blen, digest);
    cr_assert(memcmp(digest, data + at, PN_SHA256_BYTES) == 0, "%s: SHA-256 mismatch", path);
    free(data);
}

/* First run stores a binary with its checksum; the second loads it (the
 * file is not rewritten: a store would rename a new file over it) and still
 * counts right. */
Test(opencl_cache, stored_then_reused)
{
    ino_t before = 0, after = 0;
    run_seed();
    cr_assert_gt(cache_files(&before), 0, "no cache file under %s after the first run",
                 cache_dir);
    each_cache_file(assert_entry_checks_out);
    run_seed();
    cr_assert_gt(cache_files(&after), 0);
    cr_assert_eq(before, after, "the second run rebuilt and rewrote the cache file");
}

/* A truncated or foreign file is ignored, the program built from source, the
 * file replaced by a good one that the next run loads. */
Test(opencl_cache, bad_file_falls_back_to_source)
{
    ino_t spoiled = 0, rewritten = 0, reused = 0;
    run_seed();
    spoil_cache(PN_CL_CACHE_MAGIC "truncated");
    cr_assert_gt(cache_files(&spoiled), 0);
    run_seed();
    cr_assert_gt(cache_files(&rewritten), 0);
    cr_assert_neq(spoiled, rewritten, "the bad cache file was not replaced");
    spoil_cache("");
    run_seed();
    run_seed();
    cr_assert_gt(cache_files(&reused), 0);
}

/* A binary damaged in place (right magic, key and length; its second half
 * zeroed) is caught by its checksum before the driver sees it: the run
 * builds from source, counts right, and the entry is replaced by a whole
 * one that the next run loads. Before the checksum POCL aborted inside
 * clCreateProgramWithBinary on every run; Criterion runs each test in its
 * own process, so that shows as this test crashing. */
Test(opencl_cache, corrupt_binary_rebuilt_and_replaced)
{
    ino_t spoiled = 0, rewritten = 0, reused = 0;
    run_seed();
    each_cache_file(zero_second_half);
    cr_assert_gt(cache_files(&spoiled), 0);
    run_seed();
    cr_assert_gt(cache_files(&rewritten), 0);
    cr_assert_neq(spoiled, rewritten, "the corrupt cache file was not replaced");
    each_cache_file(assert_entry_checks_out);
    run_seed();
    cr_assert_gt(cache_files(&reused), 0);
    cr_assert_eq(rewritten, reused, "the replaced entry was not loaded");
}

/* A cache directory that cannot be made: its name taken by a regular file,
 * then its parent a regular file. The runs lose only the cache. (Not a
 * chmod: root, which runs the suite in CI, writes through permissions.) */
Test(opencl_cache, unwritable_dir_does_not_break_the_run)
{
    FILE *f = fopen(cache_dir, "w");
    cr_assert_not_null(f);
    fclose(f);
    run_seed();
    run_seed();
    struct stat sb;
    cr_assert_eq(stat(cache_dir, &sb), 0);
    cr_assert(S_ISREG(sb.st_mode));
    char parent_file[160];
    snprintf(parent_file, sizeof parent_file, "%s/not_a_dir", tmp_root);
    f = fopen(parent_file, "w");
    cr_assert_not_null(f);
    fclose(f);
    cr_assert_eq(setenv("XDG_CACHE_HOME", parent_file, 1), 0);
    run_seed();
}

/* PN_CL_CACHE=off writes nothing. */
Test(opencl_cache, off_writes_nothing)
{
    cr_assert_eq(setenv("PN_CL_CACHE", "off", 1), 0);
    run_seed();
    cr_assert_eq(cache_files(NULL), 0);
}

/* Without PN_CL_CACHE every platform, POCL included, gets the cache: POCL's
 * own still preprocesses the source on every build. */
Test(opencl_cache, cached_by_default)
{
    pn_device_choice choice = {0};
    pn_cl_selection sel;
    pn_error err = {{0}};
    cr_assert_eq(unsetenv("PN_CL_CACHE"), 0);
    cr_assert_eq(pn_cl_select_devices(&choice, &sel, &err), PN_OK, "%s", err.msg);
    run_seed();
    cr_assert_gt(cache_files(NULL), 0, "no cache file on %s", sel.platform_name);
}
