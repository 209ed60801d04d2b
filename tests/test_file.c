/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_file.c -- reading whole files: contents, bounds, and the errors that name what failed. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/pn_file.h"

/* Writes `size` bytes of 'x' to a fresh temp file named from the template in path. */
static void temp_file_of(char *path, size_t size)
{
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "wb");
    for (size_t i = 0; i < size; i++)
        fputc('x', f);
    fclose(f);
}

Test(file, reads_every_byte_and_terminates)
{
    char path[] = "/tmp/pn-file-XXXXXX";
    temp_file_of(path, 200000); /* more than the first 64 KiB buffer */
    char *data;
    size_t len;
    pn_error err;
    cr_assert_eq(pn_read_file(path, 1 << 20, &data, &len, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(len, 200000);
    cr_assert_eq(strspn(data, "x"), 200000);
    cr_assert_eq(data[len], '\0');
    free(data);
    unlink(path);
}

Test(file, empty_exact_bound_and_one_past_it)
{
    char empty[] = "/tmp/pn-file-XXXXXX", ten[] = "/tmp/pn-file-XXXXXX";
    temp_file_of(empty, 0);
    temp_file_of(ten, 10);
    char *data;
    size_t len;
    pn_error err;
    cr_assert_eq(pn_read_file(empty, 10, &data, &len, &err), PN_OK);
    cr_assert_eq(len, 0);
    cr_assert_str_eq(data, "");
    free(data);
    cr_assert_eq(pn_read_file(ten, 10, &data, &len, &err), PN_OK);
    cr_assert_eq(len, 10);
    free(data);
    cr_assert_eq(pn_read_file(ten, 9, &data, &len, &err), PN_ERR_USAGE);
    cr_assert_null(data);
    cr_assert(strstr(err.msg, "larger than 9 bytes"), "%s", err.msg);
    unlink(empty);
    unlink(ten);
}

Test(file, missing_files_and_directories_are_io_errors)
{
    char *data;
    size_t len;
    pn_error err;
    cr_assert_eq(pn_read_file("/nonexistent/pn.json", 10, &data, &len, &err), PN_ERR_IO);
    cr_assert(strstr(err.msg, "/nonexistent/pn.json: No such file or directory"), "%s", err.msg);
    cr_assert_eq(pn_read_file("/tmp", 10, &data, &len, &err), PN_ERR_IO);
    cr_assert(strstr(err.msg, "Is a directory"), "%s", err.msg);
    cr_assert_null(data);
}
