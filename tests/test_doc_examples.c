/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_doc_examples.c -- every example the README and the man pages show is run, and must print what the document shows. */
/* realpath() is XSI, beyond the build's _POSIX_C_SOURCE. */
#define _XOPEN_SOURCE 700
#include <criterion/criterion.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_fixture.h"

/* In a document's shown output, this matches any text within one line, and
 * a line holding only it matches any number of lines: what differs from
 * machine to machine (device names, timings) is written as it. */
#define ANYTHING "\xe2\x80\xa6" /* U+2026 HORIZONTAL ELLIPSIS */

/* A document's lines, NUL-terminated in place. */
typedef struct lines {
    char **at;
    size_t count;
} lines;

/* Splits text (modified in place) into lines, dropping trailing blank ones. */
static lines split_lines(char *text)
{
    lines l = {0};
    size_t cap = 16;
    l.at = malloc(cap * sizeof *l.at);
    for (char *p = text; *p;) {
        char *end = strchr(p, '\n');
        if (l.count == cap)
            l.at = realloc(l.at, (cap *= 2) * sizeof *l.at);
        l.at[l.count++] = p;
        if (!end)
            break;
        *end = '\0';
        p = end + 1;
    }
    while (l.count && l.at[l.count - 1][strspn(l.at[l.count - 1], " ")] == '\0')
        l.count--;
    return l;
}

/* True when text matches pattern, where ANYTHING matches any run of bytes. */
static bool line_matches(const char *pattern, const char *text)
{
    const char *any = strstr(pattern, ANYTHING);
    if (!any)
        return strcmp(pattern, text) == 0;
    size_t head = (size_t)(any - pattern);
    if (strncmp(pattern, text, head) != 0)
        return false;
    for (const char *t = text + head;; t++) {
        if (line_matches(any + strlen(ANYTHING), t))
            return true;
        if (!*t)
            return false;
    }
}

/* True when the actual lines match the shown ones (a shown line that is
 * only ANYTHING matches any number of actual lines). */
static bool lines_match(char **shown, size_t nshown, char **actual, size_t nactual)
{
    if (nshown == 0)
        return nactual == 0;
    if (strcmp(shown[0], ANYTHING) == 0) {
        for (size_t skip = 0; skip <= nactual; skip++)
            if (lines_match(shown + 1, nshown - 1, actual + skip, nactual - skip))
                return true;
        return false;
    }
    return nactual > 0 && line_matches(shown[0], actual[0]) &&
           lines_match(shown + 1, nshown - 1, actual + 1, nactual - 1);
}

/* Everything left on a stream (a pipe: no seeking), NUL-terminated. */
static char *read_stream(FILE *f)
{
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    for (size_t got; (got = fread(buf + len, 1, cap - len - 1, f)) > 0;)
        if ((len += got) == cap - 1)
            buf = realloc(buf, cap *= 2);
    buf[len] = '\0';
    return buf;
}

/* Runs command through sh in dir and returns its stdout (stderr dropped:
 * documents show the report, notes and progress go to stderr). */
static char *run_in(const char *dir, const char *command, int *status)
{
    size_t n = strlen(dir) + strlen(command) + 64;
    char *line = malloc(n);
    snprintf(line, n, "cd '%s' && timeout 600 sh -c '%s' 2>/dev/null", dir, command);
    FILE *p = popen(line, "r");
    cr_assert_not_null(p);
    char *out = read_stream(p);
    *status = pclose(p);
    free(line);
    return out;
}

/* A directory to run examples in: the binary as ./powernap_calculator and
 * the files doc/examples/ ships (day.csv, traces), as a reader has them. */
static void make_example_dir(char *dir, size_t cap)
{
    snprintf(dir, cap, "/tmp/pn-doc-examples-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    char binary[PATH_MAX], command[6 * PATH_MAX];
    cr_assert_not_null(realpath(cli_binary(), binary));
    /* Both as ./day.csv and as doc/examples/day.csv: examples name either. */
    snprintf(command, sizeof command,
             "ln -s '%s' '%s/powernap_calculator' && cp %s/doc/examples/* '%s'/ && "
             "mkdir -p '%s/doc/examples' && cp %s/doc/examples/* '%s/doc/examples/'",
             binary, dir, PN_SOURCE_DIR, dir, dir, PN_SOURCE_DIR, dir);
    cr_assert_eq(system(command), 0, "%s failed", command);
}

/* Checks one block of example lines: each "$ COMMAND" line is run in dir in
 * order; when lines follow it before the next "$ ", they are its shown
 * output and the run must print exactly that. Returns the number checked. */
static int check_block(char **block, size_t n, const char *dir, const char *doc, size_t first_line)
{
    int checked = 0;
    for (size_t i = 0; i < n; i++) {
        if (strncmp(block[i], "$ ", 2) != 0)
            continue;
        size_t end = i + 1;
        while (end < n && strncmp(block[end], "$ ", 2) != 0)
            end++;
        size_t shown = end - (i + 1);
        while (shown && block[i + shown][0] == '\0')
            shown--;
        const char *command = block[i] + 2;
        /* A command with a trailing "# comment" is an illustration (a long
         * run, an interruption), not an example to run. */
        bool illustration = strstr(command, "  #") != NULL;
        bool ours = !illustration && (strncmp(command, "./powernap_calculator", 21) == 0 ||
                                      strncmp(command, "cat ", 4) == 0);
        if (ours && shown > 0) {
            int status;
            char *out = run_in(dir, command, &status);
            lines actual = split_lines(out);
            bool same = lines_match(block + i + 1, shown, actual.at, actual.count);
            if (!same) {
                fprintf(stderr, "%s:%zu: `%s` printed:\n", doc, first_line + i, command);
                for (size_t k = 0; k < actual.count; k++)
                    fprintf(stderr, "    %s\n", actual.at[k]);
            }
            cr_expect(same, "%s:%zu: `%s` does not print what the document shows", doc,
                      first_line + i, command);
            free(actual.at);
            free(out);
            checked++;
        }
        i = end - 1;
    }
    return checked;
}

/* Every example of a Markdown document: its indented (4 spaces) and fenced
 * code blocks that hold a "$ ./powernap_calculator" line. */
static int check_markdown(const char *path, const char *dir)
{
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s is missing", path);
    char *text = cli_slurp(f);
    fclose(f);
    lines doc = split_lines(text);
    char **block = malloc(doc.count * sizeof *block);
    int checked = 0;
    for (size_t i = 0; i < doc.count;) {
        size_t n = 0, first = i + 1;
        if (strncmp(doc.at[i], "```", 3) == 0) {
            for (i++; i < doc.count && strncmp(doc.at[i], "```", 3) != 0; i++)
                block[n++] = doc.at[i];
            i++;
        } else if (strncmp(doc.at[i], "    ", 4) == 0 && (i == 0 || doc.at[i - 1][0] == '\0')) {
            /* An indented block runs on over blank lines while the next
             * non-blank line is still indented. */
            for (; i < doc.count; i++) {
                if (strncmp(doc.at[i], "    ", 4) == 0)
                    block[n++] = doc.at[i] + 4;
                else if (doc.at[i][0] == '\0' && i + 1 < doc.count &&
                         (doc.at[i + 1][0] == '\0' || strncmp(doc.at[i + 1], "    ", 4) == 0))
                    block[n++] = doc.at[i];
                else
                    break;
            }
        } else {
            i++;
            continue;
        }
        for (size_t k = 0; k < n; k++)
            if (strncmp(block[k], "$ ./powernap_calculator", 23) == 0) {
                checked += check_block(block, n, dir, path, first);
                break;
            }
    }
    free(block);
    free(doc.at);
    free(text);
    return checked;
}

Test(doc_examples, every_markdown_example_prints_what_its_document_shows, .timeout = 900)
{
    char dir[64];
    make_example_dir(dir, sizeof dir);
    int checked = check_markdown(PN_SOURCE_DIR "/README.md", dir);
    cr_assert_geq(checked, 8, "only %d README examples with output found", checked);
    checked = check_markdown(PN_SOURCE_DIR "/doc/FORMATS.md", dir) +
              check_markdown(PN_SOURCE_DIR "/doc/DESIGN.md", dir);
    cr_assert_geq(checked, 1, "no example found in doc/FORMATS.md and doc/DESIGN.md");
    char command[128];
    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    cr_assert_eq(system(command), 0);
}

/* The man page's EXAMPLES show commands without output: each must answer
 * (exit 0) with a report on stdout. */
Test(doc_examples, every_man_page_example_answers, .timeout = 900)
{
    FILE *f = fopen(PN_SOURCE_DIR "/doc/powernap_calculator.1", "r");
    cr_assert_not_null(f);
    char *text = cli_slurp(f);
    fclose(f);
    char *examples = strstr(text, ".SH EXAMPLES\n");
    cr_assert_not_null(examples);
    char dir[64];
    make_example_dir(dir, sizeof dir);
    int checked = 0;
    for (char *line = strstr(examples, "\n$ powernap_calculator "); line && line < strstr(examples, ".fi");
         line = strstr(line + 1, "\n$ powernap_calculator ")) {
        char command[512] = "./", *o = command + 2;
        /* Undo the roff escapes the page uses in commands (\- is -). */
        for (const char *c = line + 3; *c && *c != '\n' && o < command + sizeof command - 8; c++) {
            if (c[0] == '\\' && c[1] == '-')
                c++;
            *o++ = *c;
        }
        strcpy(o, " -q");
        int status;
        char *out = run_in(dir, command, &status);
        cr_expect_eq(status, 0, "man page example `%s` exits %d", command, status);
        cr_expect(strlen(out) > 0, "man page example `%s` prints nothing", command);
        free(out);
        checked++;
    }
    cr_assert_geq(checked, 5, "only %d man page examples found", checked);
    free(text);
    char command[128];
    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    cr_assert_eq(system(command), 0);
}
