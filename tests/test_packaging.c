/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_packaging.c -- what a distribution ships: the licence, its statement in --version, the man page and the README, and a bash completion that knows every option. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_fixture.h"
#include "slice/pn_json_keys.h"

#define COMPLETION PN_SOURCE_DIR "/scripts/powernap_calculator.bash-completion"

static char *read_source(const char *path)
{
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s is missing", path);
    char *text = cli_slurp(f);
    fclose(f);
    return text;
}

/* GPL-3.0-or-later, compatible with the 2009 original's GPL-3: the text in
 * COPYING, a copyright line and the licence in --version and the man page,
 * the licence named in the README. */
Test(packaging, the_licence_is_stated_everywhere_a_user_looks)
{
    char *copying = read_source(PN_SOURCE_DIR "/COPYING");
    cr_assert(strstr(copying, "GNU GENERAL PUBLIC LICENSE") &&
                  strstr(copying, "Version 3, 29 June 2007") &&
                  strstr(copying, "(at your option) any later version"),
              "COPYING is not the GPL version 3");
    free(copying);
    cli_result r = cli_run("--version");
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "\nCopyright (C) "), "no copyright line: %s", r.out);
    cr_assert(strstr(r.out, "GNU GPL version 3 or later"), "no licence: %s", r.out);
    cli_free(&r);
    char *man = read_source(PN_SOURCE_DIR "/doc/powernap_calculator.1");
    cr_assert(strstr(man, ".SH COPYRIGHT\nCopyright (C) "), "the man page has no copyright");
    cr_assert(strstr(man, "GNU GPL version 3 or later"), "the man page names no licence");
    free(man);
    char *readme = read_source(PN_SOURCE_DIR "/README.md");
    cr_assert(strstr(readme, "GPL-3.0-or-later") && strstr(readme, "COPYING"),
              "the README names no licence");
    free(readme);
}

/* The long option names in text, each followed by a space, into out (cap
 * bytes): the "name" of each {OPT_X, 'x', "name", 1} entry when quoted (C),
 * else each --name word (shell). */
static void long_names(const char *text, bool quoted, char *out, size_t cap)
{
    out[0] = '\0';
    for (const char *at = text; (at = strstr(at, quoted ? "{OPT_" : "--"));) {
        const char *name = quoted ? strchr(at, '"') + 1 : at + 2;
        size_t len = quoted ? strcspn(name, "\"") : strcspn(name, " \n\"");
        snprintf(out + strlen(out), cap - strlen(out), "%.*s ", (int)len, name);
        at = name + len;
    }
}

/* The completion offers exactly the options of host/cli/cli.c's table:
 * an option added there and not here fails this test. */
Test(packaging, the_completion_knows_every_long_option)
{
    char *cli = read_source(PN_SOURCE_DIR "/host/cli/cli.c");
    char *table = strstr(cli, "OPTIONS[] = {");
    cr_assert_not_null(table);
    *strstr(table, "};") = '\0';
    char want[2048], got[2048];
    long_names(table, true, want, sizeof want);
    char *script = read_source(COMPLETION);
    char *list = strstr(script, "options=\"");
    cr_assert_not_null(list);
    *strchr(list + strlen("options=\""), '"') = '\0';
    long_names(list, false, got, sizeof got);
    cr_assert_str_eq(got, want, "the completion's options are not cli.c's");
    free(script);
    free(cli);
}

/* What bash completes for the words typed so far (the last one is being
 * typed), through the installed function, as one space-separated line. */
static char *complete(const char *words)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "bash -c 'source %s; COMP_WORDS=(powernap_calculator %s); "
             "COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _powernap_calculator; "
             "echo \"${COMPREPLY[*]}\"'",
             COMPLETION, words);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    char line[1024] = "";
    cr_assert_not_null(fgets(line, sizeof line, p), "%s", cmd);
    cr_assert_eq(pclose(p), 0, "%s", cmd);
    line[strcspn(line, "\n")] = '\0';
    return strdup(line);
}

Test(packaging, the_completion_completes_options_and_their_values)
{
    struct { const char *words, *want; } cases[] = {
        {"--eng", "--engine"},
        {"--engine \"\"", "auto opencl cpu exact"},
        {"-e c", "cpu"},
        {"--model \"\"", "uniform slots"},
        {"-f j", "json"},
        {"--format \"\"", "text json csv"},
        {"--simulate \"\"", "random first-fit best-fit worst-fit round-robin all"},
        {"--simulate w", "worst-fit"},
        {"--check", "--checkpoint --checkpoint-every"},
        {"me", "merge"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = complete(cases[i].words);
        cr_assert_str_eq(got, cases[i].want, "after '%s'", cases[i].words);
        free(got);
    }
}

/* Both man pages render under `groff -ww` (every warning on) without a
 * word on stderr, and carry the sections a packager and a user look for. */
Test(packaging, both_man_pages_render_cleanly_with_every_section)
{
    static const char *const pages[] = {"powernap_calculator.1", "powernap_calculator-mpi.1"};
    static const char *const sections[] = {".SH NAME\n", ".SH SYNOPSIS\n", ".SH DESCRIPTION\n",
                                           ".SH OPTIONS\n", ".SH FILES\n", ".SH EXIT STATUS\n",
                                           ".SH EXAMPLES\n", ".SH COPYRIGHT\n", ".SH SEE ALSO\n"};
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        char path[512], command[1200];
        snprintf(path, sizeof path, PN_SOURCE_DIR "/doc/%s", pages[i]);
        char *man = read_source(path);
        for (size_t s = 0; s < sizeof sections / sizeof sections[0]; s++)
            cr_assert(strstr(man, sections[s]), "%s has no %.*s section", pages[i],
                      (int)strlen(sections[s]) - 1, sections[s] + 4);
        free(man);
        char log[] = "/tmp/pn-groff-XXXXXX";
        int fd = mkstemp(log);
        cr_assert_geq(fd, 0);
        close(fd);
        snprintf(command, sizeof command, "groff -ww -man -Tutf8 '%s' 2>'%s' >/dev/null", path, log);
        cr_assert_eq(system(command), 0, "groff failed on %s", pages[i]);
        char *warnings = read_source(log);
        unlink(log);
        cr_assert_str_empty(warnings, "groff -ww warns on %s: %s", pages[i], warnings);
        free(warnings);
    }
}

/* doc/powernap_calculator.schema.json describes every JSON document the
 * tool writes: scripts/check-schema.py (python3's jsonschema, installed by
 * scripts/install-deps.sh) runs the binary for each kind (a report, a
 * slice, a fleet's, a merge, a sweep, a load curve, a simulation, three
 * ledgers) and validates the real output against it; it also checks every
 * CSV's cost columns are the JSON cost object's members. */
Test(packaging, every_json_document_matches_the_schema, .timeout = 600)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "python3 '%s/scripts/check-schema.py' '%s' >/dev/null",
             PN_SOURCE_DIR, cli_binary());
    cr_assert_eq(system(cmd), 0, "%s failed (run it to see why)", cmd);
}

/* doc/FORMATS.md documents every member of the schema's cost object and
 * every key the tool writes (pn_json_key): a member added to the code must
 * be added to the documentation. */
Test(packaging, formats_md_names_every_key)
{
    char *formats = read_source(PN_SOURCE_DIR "/doc/FORMATS.md");
    for (int k = 0; k < PN_JSON_KEYS; k++) {
        char quoted[64];
        snprintf(quoted, sizeof quoted, "`%s`", pn_json_key[k]);
        cr_assert(strstr(formats, quoted), "doc/FORMATS.md does not name %s", quoted);
    }
    free(formats);
}
