/* SPDX-License-Identifier: GPL-3.0-or-later */
/* file_fixture.h -- scratch directories, whole files and the texts put in them: made, read, written, edited and removed. */
#ifndef PN_TEST_FILE_FIXTURE_H
#define PN_TEST_FILE_FIXTURE_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A fresh directory "/tmp/pn-<what>-XXXXXX", its path into dir (len bytes). */
static inline void temp_dir_make(char *dir, size_t len, const char *what)
{
    snprintf(dir, len, "/tmp/pn-%s-XXXXXX", what);
    cr_assert_not_null(mkdtemp(dir), "mkdtemp %s", dir);
}

/* rm -rf path, without a shell: what it cannot remove stays. */
static inline void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (!d) {
        unlink(path);
        return;
    }
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char child[4096];
        if (snprintf(child, sizeof child, "%s/%s", path, e->d_name) < (int)sizeof child)
            remove_tree(child);
    }
    closedir(d);
    rmdir(path);
}

/* The whole file at path, malloc'd with a NUL after its *len bytes. */
static inline unsigned char *read_bytes(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    cr_assert_geq(n, 0, "%s", path);
    unsigned char *data = malloc((size_t)n + 1);
    cr_assert_not_null(data);
    cr_assert_eq(fread(data, 1, (size_t)n, f), (size_t)n, "%s", path);
    fclose(f);
    data[n] = '\0';
    *len = (size_t)n;
    return data;
}

/* The whole text file at path, malloc'd and NUL-terminated. */
static inline char *read_text(const char *path)
{
    size_t len;
    return (char *)read_bytes(path, &len);
}

/* Replaces the file at path (or makes it) with `text`. */
static inline void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    cr_assert_eq(fclose(f), 0, "%s", path);
}

/* text with its first `from` replaced by `to`, malloc'd; the test fails
 * when text holds no `from`. */
static inline char *text_replaced(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    cr_assert_not_null(at, "\"%s\" not in %s", from, text);
    size_t head = (size_t)(at - text), n = strlen(text) - strlen(from) + strlen(to) + 1;
    char *out = malloc(n);
    cr_assert_not_null(out);
    snprintf(out, n, "%.*s%s%s", (int)head, text, to, at + strlen(from));
    return out;
}

/* `levels` nested JSON arrays, "[[...]]", malloc'd. */
static inline char *nested_arrays(int levels)
{
    char *text = malloc((size_t)levels * 2 + 1);
    cr_assert_not_null(text);
    for (int i = 0; i < levels; i++) {
        text[i] = '[';
        text[levels + i] = ']';
    }
    text[2 * levels] = '\0';
    return text;
}

/* The file at path with its first `from` replaced by `to`. */
static inline void edit_file(const char *path, const char *from, const char *to)
{
    char *text = read_text(path), *edited = text_replaced(text, from, to);
    write_text(path, edited);
    free(edited);
    free(text);
}

#endif
