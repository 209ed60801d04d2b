/* test_packaging.c -- what a distribution ships: the licence, its statement in --version, the man page and the README. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_runner.h"

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

