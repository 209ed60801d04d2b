/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_cli_parse.c -- the option parser: what it accepts, and the one-line reason for what it refuses. */
#include <criterion/criterion.h>
#include <string.h>

#include "cli/pn_cli.h"

/* Parses a NULL-terminated list of arguments (argv[0] added here). */
static pn_status parse(pn_options *opts, pn_error *err, char **args)
{
    char *argv[32] = {"powernap_calculator"};
    int argc = 1;
    while (args[argc - 1])
        argv[argc] = args[argc - 1], argc++;
    return pn_cli_parse(argc, argv, opts, err);
}
#define PARSE(opts, err, ...) parse(opts, err, (char *[]){__VA_ARGS__, NULL})

/* Asserts that the arguments are refused as bad input with a message that
 * contains `needle` (the problem, named). */
static void assert_refused(const char *needle, char **args)
{
    pn_options opts;
    pn_error err = {{0}};
    pn_status st = parse(&opts, &err, args);
    cr_assert_eq(st, PN_ERR_USAGE, "expected refusal mentioning '%s'", needle);
    cr_assert(strstr(err.msg, needle), "message '%s' should mention '%s'", err.msg, needle);
    cr_assert(!strchr(err.msg, '\n'), "one line: '%s'", err.msg);
    pn_cli_free(&opts);
}
#define REFUSED(needle, ...) assert_refused(needle, (char *[]){__VA_ARGS__, NULL})

Test(cli_parse, the_2009_flags)
{
    pn_options o;
    pn_error err;
    cr_assert_eq(PARSE(&o, &err, "-h", "10", "-p", "4", "-g", "20"), PN_OK, "%s", err.msg);
    cr_assert_eq(o.action, PN_ACTION_REPORT);
    cr_assert_eq(o.query.hosts, 10);
    cr_assert_eq(o.query.per_host, 4);
    cr_assert_eq(o.query.guests, 20);
    cr_assert_eq(o.engine, PN_ENGINE_AUTO);
    cr_assert_eq(o.format, PN_FORMAT_TEXT);
    cr_assert_eq(o.query.model, PN_MODEL_UNIFORM);
    cr_assert_not(o.query.sliced);
    pn_cli_free(&o);
    cr_assert_eq(PARSE(&o, &err, "--hosts", "8", "--guests-per-host=2", "--guests", "4", "-q"), PN_OK);
    cr_assert_eq(o.query.hosts, 8);
    cr_assert_eq(o.query.per_host, 2);
    cr_assert_eq(o.query.guests, 4);
    cr_assert(o.quiet);
    pn_cli_free(&o);
    cr_assert_eq(PARSE(&o, &err, "-h4", "-p2", "-g3"), PN_OK, "%s", err.msg);
    cr_assert_eq(o.query.hosts * 100 + o.query.per_host * 10 + o.query.guests, 423);
    pn_cli_free(&o);
}

Test(cli_parse, choices)
{
    pn_options o;
    pn_error err;
    cr_assert_eq(PARSE(&o, &err, "-h", "3", "-p", "2", "-g", "1", "--engine", "exact", "--model",
                       "slots", "--format", "json", "--device", "1:2", "--verify"), PN_OK, "%s", err.msg);
    cr_assert_eq(o.engine, PN_ENGINE_EXACT);
    cr_assert_eq(o.query.model, PN_MODEL_SLOTS);
    cr_assert_eq(o.format, PN_FORMAT_JSON);
    cr_assert(o.device.chosen && o.device.platform == 1 && o.device.device == 2);
    cr_assert(o.verify);
    pn_cli_free(&o);
    cr_assert_eq(PARSE(&o, &err, "-h", "3", "-p", "2", "-g", "1", "-d", "all", "-e", "cpu", "-f", "csv"), PN_OK);
    cr_assert(o.device.all && o.device.platform == 0);
    cr_assert_eq(o.engine, PN_ENGINE_CPU);
    cr_assert_eq(o.format, PN_FORMAT_CSV);
    pn_cli_free(&o);
    cr_assert_eq(PARSE(&o, &err, "-h", "3", "-p", "2", "-g", "1", "-d", "2:all"), PN_OK);
    cr_assert(o.device.all && !o.device.chosen && o.device.platform == 2);
    pn_cli_free(&o);
}

Test(cli_parse, actions_without_a_question)
{
    pn_options o;
    pn_error err;
    cr_assert_eq(PARSE(&o, &err, "--help"), PN_OK);
    cr_assert_eq(o.action, PN_ACTION_HELP);
    cr_assert_eq(PARSE(&o, &err, "--version"), PN_OK);
    cr_assert_eq(o.action, PN_ACTION_VERSION);
    cr_assert_eq(PARSE(&o, &err, "--list-devices"), PN_OK);
    cr_assert_eq(o.action, PN_ACTION_LIST_DEVICES);
    cr_assert_eq(PARSE(&o, &err, "--keyspace", "-h", "10", "-p", "4"), PN_OK, "%s", err.msg);
    cr_assert_eq(o.action, PN_ACTION_KEYSPACE);
}

Test(cli_parse, slices)
{
    pn_options o;
    pn_error err;
    cr_assert_eq(PARSE(&o, &err, "-h", "4", "-p", "2", "-g", "3", "--skip", "10", "--limit", "20"), PN_OK, "%s", err.msg);
    cr_assert(o.query.sliced);
    cr_assert_eq(o.query.skip, 10);
    cr_assert_eq(o.query.limit, 20);
    cr_assert_eq(PARSE(&o, &err, "-h", "4", "-p", "2", "-g", "3", "--skip", "60"), PN_OK, "%s", err.msg);
    cr_assert_eq(o.query.limit, 81 - 60, "--skip alone runs to the end of the 3^4 keyspace");
    REFUSED("past the keyspace", "-h", "4", "-p", "2", "-g", "3", "--skip", "82");
    REFUSED("exact", "-h", "4", "-p", "2", "-g", "3", "--skip", "1", "-e", "exact");
}

Test(cli_parse, malformed_numbers_are_refused)
{
    REFUSED("'2x'", "-h", "2x", "-p", "4", "-g", "20");
    REFUSED("'1e3'", "-h", "10", "-p", "4", "-g", "1e3");
    REFUSED("'4.5'", "-h", "10", "-p", "4.5", "-g", "20");
    REFUSED("''", "-h", "", "-p", "4", "-g", "20");
    REFUSED("'-1'", "-h", "10", "-p", "4", "-g", "-1");
    REFUSED("'+3'", "-h", "+3", "-p", "4", "-g", "2");
    REFUSED("' 3'", "-h", " 3", "-p", "4", "-g", "2");
    REFUSED("overflow", "-h", "18446744073709551616", "-p", "4", "-g", "2");
    REFUSED("overflow", "-h", "10", "-p", "4", "-g", "99999999999999999999999");
    REFUSED("too large", "-h", "18446744073709551615", "-p", "4", "-g", "2");
    REFUSED("too large", "-h", "10", "-p", "4000000", "-g", "2");
}

Test(cli_parse, impossible_questions_are_refused)
{
    REFUSED("at least 1 host", "-h", "0", "-p", "4", "-g", "0");
    REFUSED("do not fit", "-h", "10", "-p", "4", "-g", "41");
    REFUSED("do not fit", "-h", "3", "-p", "0", "-g", "1");
}

Test(cli_parse, missing_unknown_and_stray)
{
    REFUSED("--hosts", "-p", "4", "-g", "20");
    REFUSED("--guests-per-host", "-h", "10", "-g", "20");
    REFUSED("--guests", "-h", "10", "-p", "4");
    REFUSED("needs a value", "-h", "10", "-p", "4", "-g");
    REFUSED("'--frobnicate'", "-h", "10", "-p", "4", "-g", "20", "--frobnicate");
    REFUSED("'-x'", "-h", "10", "-p", "4", "-g", "20", "-x");
    REFUSED("'extra'", "-h", "10", "-p", "4", "-g", "20", "extra");
    REFUSED("takes no value", "--quiet=yes", "-h", "10", "-p", "4", "-g", "20");
}

Test(cli_parse, bad_choices)
{
    REFUSED("'gpu'", "-h", "1", "-p", "1", "-g", "1", "--engine", "gpu");
    REFUSED("'poisson'", "-h", "1", "-p", "1", "-g", "1", "--model", "poisson");
    REFUSED("'xml'", "-h", "1", "-p", "1", "-g", "1", "--format", "xml");
    REFUSED("'0-1'", "-h", "1", "-p", "1", "-g", "1", "--device", "0-1");
    REFUSED("':1'", "-h", "1", "-p", "1", "-g", "1", "--device", ":1");
    REFUSED("'1:'", "-h", "1", "-p", "1", "-g", "1", "--device", "1:");
    REFUSED("'all:0'", "-h", "1", "-p", "1", "-g", "1", "--device", "all:0");
}

Test(cli_parse, cost_options)
{
    pn_options o;
    pn_error err;
    cr_assert_eq(PARSE(&o, &err, "-h", "8", "-p", "2", "-g", "4", "--watts", "80", "--price", "0.10",
                       "--currency", "EUR "), PN_OK, "%s", err.msg);
    cr_assert(o.cost.wanted);
    cr_assert_float_eq(o.cost.watts, 80.0, 1e-12);
    cr_assert_float_eq(o.cost.price, 0.10, 1e-12);
    cr_assert_float_eq(o.cost.idle_watts, 0.0, 1e-12);
    cr_assert_str_eq(o.cost.currency, "EUR ");
    REFUSED("--price", "-h", "8", "-p", "2", "-g", "4", "--watts", "80");
    REFUSED("--watts", "-h", "8", "-p", "2", "-g", "4", "--price", "0.1");
    REFUSED("'1e2'", "-h", "8", "-p", "2", "-g", "4", "--watts", "1e2", "--price", "1");
    REFUSED("'-5'", "-h", "8", "-p", "2", "-g", "4", "--watts", "-5", "--price", "1");
    REFUSED("'nan'", "-h", "8", "-p", "2", "-g", "4", "--watts", "nan", "--price", "1");
    REFUSED("'.'", "-h", "8", "-p", "2", "-g", "4", "--watts", ".", "--price", "1");
    REFUSED("more than --watts", "-h", "8", "-p", "2", "-g", "4", "--watts", "80", "--idle-watts",
            "90", "--price", "1");
}

Test(cli_parse, merge_collects_files)
{
    pn_options o;
    pn_error err;
    char *argv[] = {"pc", "merge", "a.json", "-f", "json", "b.json", NULL};
    cr_assert_eq(pn_cli_parse(6, argv, &o, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(o.action, PN_ACTION_MERGE);
    cr_assert_eq(o.merge_count, 2);
    cr_assert_str_eq(o.merge_files[0], "a.json");
    cr_assert_str_eq(o.merge_files[1], "b.json");
    cr_assert_eq(o.format, PN_FORMAT_JSON);
    pn_cli_free(&o);
    REFUSED("at least one slice", "merge");
    REFUSED("from the slice files", "merge", "a.json", "-h", "3");
}

/* merge takes only what it can use: the format, --quiet and the cost; any
 * other option is refused, named by its long form however it was spelled. */
Test(cli_parse, merge_refuses_options_it_has_no_use_for)
{
    REFUSED("option '--verify' means nothing to merge", "merge", "a.json", "--verify");
    REFUSED("option '--keyspace' means nothing to merge", "merge", "a.json", "--keyspace");
    REFUSED("option '--list-devices' means nothing to merge", "merge", "a.json", "--list-devices");
    REFUSED("option '--engine' means nothing to merge", "merge", "a.json", "-e", "cpu");
    REFUSED("option '--engine' means nothing to merge", "merge", "-ecpu", "a.json");
    REFUSED("option '--engine' means nothing to merge", "merge", "a.json", "--engine=exact");
    REFUSED("option '--device' means nothing to merge", "merge", "a.json", "-d", "0:0");
    REFUSED("option '--device' means nothing to merge", "merge", "a.json", "--device", "all");
    REFUSED("not from option '--model'", "merge", "a.json", "-m", "slots");
    REFUSED("not from option '--model'", "merge", "a.json", "--model=uniform");
    REFUSED("not from option '--hosts'", "merge", "a.json", "-h", "3");
    REFUSED("not from option '--guests-per-host'", "merge", "a.json", "-p", "3");
    REFUSED("not from option '--guests'", "merge", "a.json", "-g", "3");
    REFUSED("not from option '--skip'", "merge", "a.json", "--skip", "0");
    REFUSED("not from option '--limit'", "merge", "a.json", "--limit", "5");
    REFUSED("option '--verify' means nothing to merge", "merge", "-q", "--verify", "a.json");
    pn_options o;
    pn_error err;
    char *argv[] = {"pc", "merge", "a.json", "-qf", "csv", "--watts", "80", "--price", "0.1",
                    "--idle-watts", "5", "--currency", "EUR", "b.json", NULL};
    cr_assert_eq(pn_cli_parse(14, argv, &o, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(o.action, PN_ACTION_MERGE);
    cr_assert_eq(o.merge_count, 2);
    cr_assert(o.quiet);
    cr_assert_eq(o.format, PN_FORMAT_CSV);
    cr_assert(o.cost.wanted);
    cr_assert_str_eq(o.cost.currency, "EUR");
    pn_cli_free(&o);
    char *help[] = {"pc", "merge", "a.json", "--help", NULL};
    cr_assert_eq(pn_cli_parse(4, help, &o, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(o.action, PN_ACTION_HELP);
    pn_cli_free(&o);
}

/* GNU forms through getopt_long: bundled letters, attached values, --name=value. */
Test(cli_parse, gnu_forms)
{
    pn_options o;
    pn_error err;
    cr_assert_eq(PARSE(&o, &err, "-qh", "10", "-p", "4", "-g", "20"), PN_OK, "%s", err.msg);
    cr_assert(o.quiet);
    cr_assert_eq(o.query.hosts * 10000 + o.query.per_host * 100 + o.query.guests, 100420);
    cr_assert_eq(PARSE(&o, &err, "-h10", "-p4", "-g20"), PN_OK, "%s", err.msg);
    cr_assert_eq(o.query.hosts * 10000 + o.query.per_host * 100 + o.query.guests, 100420);
    cr_assert_not(o.quiet);
    cr_assert_eq(PARSE(&o, &err, "--hosts=10", "--guests-per-host=4", "--guests=20", "-qfjson",
                       "-ecpu"), PN_OK, "%s", err.msg);
    cr_assert_eq(o.query.hosts * 10000 + o.query.per_host * 100 + o.query.guests, 100420);
    cr_assert(o.quiet);
    cr_assert_eq(o.format, PN_FORMAT_JSON);
    cr_assert_eq(o.engine, PN_ENGINE_CPU);
    cr_assert_eq(PARSE(&o, &err, "-qVh10"), PN_OK, "%s", err.msg);
    cr_assert_eq(o.action, PN_ACTION_VERSION);
    cr_assert_eq(PARSE(&o, &err, "-h", "5", "-p", "4", "-g", "2", "-h", "10"), PN_OK, "%s", err.msg);
    cr_assert_eq(o.query.hosts, 10, "a repeated option: the last one counts, as before getopt");
}

Test(cli_parse, gnu_forms_refused)
{
    REFUSED("'-x' in '-qx'", "-qx", "-h", "10", "-p", "4", "-g", "20");
    REFUSED("'-5' in '-q5'", "-q5", "-h", "10", "-p", "4", "-g", "20");
    REFUSED("'--hosts' needs a value", "-p", "4", "-g", "20", "-qh");
    REFUSED("'--guests' needs a value", "-h", "10", "-p", "4", "--guests");
    REFUSED("--hosts '': expected a plain non-negative integer", "--hosts=", "-p", "4", "-g", "20");
    REFUSED("--hosts 'x': expected", "-hx", "-p", "4", "-g", "20");
    REFUSED("'--quiet' takes no value", "--qui=1", "-h", "10", "-p", "4", "-g", "20");
    REFUSED("unknown option '--frob'", "--frob=2", "-h", "10", "-p", "4", "-g", "20");
    REFUSED("unknown option '--'", "--=2", "-h", "10", "-p", "4", "-g", "20");
    REFUSED("'stray'", "stray", "--bogus", "-h", "10", "-p", "4", "-g", "20");
}

/* One dash before a long name ("-help") was read as letters (-h 'elp'):
 * it is refused pointing to the long option. A bundle that only starts
 * like one is still letters. */
Test(cli_parse, a_long_name_after_one_dash_points_to_two)
{
    REFUSED("unknown option '-help'; did you mean '--help'?", "-help");
    REFUSED("unknown option '-fleet'; did you mean '--fleet'?", "-fleet=2x4", "-g", "1");
    REFUSED("unknown option '-version'; did you mean '--version'?", "-h", "2", "-version");
    REFUSED("--hosts 'elpx': expected", "-helpx", "-p", "4", "-g", "1");
    pn_options o;
    pn_error err;
    cr_assert_eq(PARSE(&o, &err, "--currency", "-help", "-h", "2", "-p", "1", "-g", "1",
                       "--watts", "80", "--price", "1"), PN_OK,
                 "a value is not an option: %s", err.msg);
    cr_assert_str_eq(o.cost.currency, "-help");
    pn_cli_free(&o);
}

/* A mistyped long option or choice names the one meant, when one is close
 * (a letter missing, added, changed or two swapped; case ignored), and
 * only then. */
Test(cli_parse, did_you_mean)
{
    REFUSED("unknown option '--hots'; did you mean '--hosts'?", "--hots", "3");
    REFUSED("unknown option '--hlep'; did you mean '--help'?", "--hlep");
    REFUSED("'--chekpoint'; did you mean '--checkpoint'?", "--chekpoint=l", "-h", "1");
    REFUSED("'--guest-per-host'; did you mean '--guests-per-host'?", "--guest-per-host", "2");
    REFUSED("--simulate 'firstfit': expected random, first-fit, best-fit, worst-fit or "
            "round-robin; did you mean 'first-fit'?", "-h", "2", "-p", "2", "--simulate",
            "firstfit");
    REFUSED("did you mean 'round-robin'?", "-h", "2", "-p", "2", "--simulate", "Round_Robin");
    REFUSED("--engine 'openlc': expected auto, opencl, cpu or exact; did you mean 'opencl'?",
            "-h", "1", "-p", "1", "-g", "1", "-e", "openlc");
    REFUSED("--model 'slot': expected uniform or slots; did you mean 'slots'?",
            "-h", "1", "-p", "1", "-g", "1", "-m", "slot");
    REFUSED("--format 'JSON': expected text, json or csv; did you mean 'json'?",
            "-h", "1", "-p", "1", "-g", "1", "-f", "JSON");
    const char *far[][2] = {{"--frobnicate", "'--frobnicate'"}, {"-egpu", "'gpu'"},
                            {"-fxml", "'xml'"}, {"--simulate=fifo", "'fifo'"}};
    for (size_t i = 0; i < sizeof far / sizeof *far; i++) {
        pn_options o;
        pn_error err = {{0}};
        cr_assert_eq(parse(&o, &err, (char *[]){"-h", "1", "-p", "1", (char *)far[i][0], NULL}),
                     PN_ERR_USAGE);
        cr_assert(strstr(err.msg, far[i][1]), "%s", err.msg);
        cr_assert(!strstr(err.msg, "did you mean"), "nothing close to %s: %s", far[i][0], err.msg);
        pn_cli_free(&o);
    }
}

/* A value or an argument that starts with a UTF-8 byte order mark, which
 * no terminal shows, is refused naming the mark, not as a bad number. */
Test(cli_parse, a_byte_order_mark_is_named)
{
    REFUSED("--hosts '10' starts with an invisible UTF-8 byte order mark (BOM, bytes EF BB BF)",
            "-h", "\xef\xbb\xbf" "10", "-p", "4", "-g", "1");
    REFUSED("--fleet '2x4' starts with an invisible UTF-8 byte order mark",
            "--fleet=\xef\xbb\xbf" "2x4", "-g", "1");
    REFUSED("argument '-q' starts with an invisible UTF-8 byte order mark",
            "-h", "1", "-p", "1", "-g", "1", "\xef\xbb\xbf" "-q");
}

/* "--" ends the options: what follows is an operand, and only merge takes operands. */
Test(cli_parse, double_dash_ends_options)
{
    pn_options o;
    pn_error err;
    cr_assert_eq(PARSE(&o, &err, "-h", "10", "-p", "4", "-g", "20", "--"), PN_OK, "%s", err.msg);
    REFUSED("unexpected argument 'extra'", "-h", "10", "-p", "4", "-g", "20", "--", "extra");
    REFUSED("unexpected argument '-q'", "-h", "10", "-p", "4", "-g", "20", "--", "-q");
    REFUSED("unexpected argument '--'", "-h", "10", "-p", "4", "-g", "20", "--", "--");
    cr_assert_eq(PARSE(&o, &err, "merge", "a.json", "-fjson", "--", "-b.json", "--"), PN_OK,
                 "%s", err.msg);
    cr_assert_eq(o.merge_count, 3);
    cr_assert_str_eq(o.merge_files[0], "a.json");
    cr_assert_str_eq(o.merge_files[1], "-b.json");
    cr_assert_str_eq(o.merge_files[2], "--");
    cr_assert_eq(o.format, PN_FORMAT_JSON);
    pn_cli_free(&o);
}

/* Long options abbreviate to any unique prefix, as in glibc; an exact name
 * wins over the longer names it begins; an ambiguous prefix is refused with
 * the candidates. */
Test(cli_parse, abbreviated_long_options)
{
    pn_options o;
    pn_error err;
    cr_assert_eq(PARSE(&o, &err, "--host", "10", "--guests-p=4", "--guests", "20", "--qu", "--form",
                       "csv"), PN_OK, "%s", err.msg);
    cr_assert_eq(o.query.hosts * 10000 + o.query.per_host * 100 + o.query.guests, 100420);
    cr_assert(o.quiet);
    cr_assert_eq(o.format, PN_FORMAT_CSV);
    cr_assert_eq(PARSE(&o, &err, "--he"), PN_OK, "%s", err.msg);
    cr_assert_eq(o.action, PN_ACTION_HELP);
    REFUSED("option '--guest' is ambiguous", "-h", "10", "-p", "4", "--guest", "20");
    REFUSED("--guests-per-host, --guests)", "-h", "10", "-p", "4", "--gu=20");
    REFUSED("(--list-devices, --limit, --load, --load-curve)", "--l");
    REFUSED("(--hosts, --help)", "--h", "10");
    REFUSED("(--verify, --version)", "--ver");
    cr_assert(strstr(pn_cli_help(), "unique prefix"), "--help says abbreviations are taken");
}

/* The caller's argv is never reordered, and no getopt state leaks from one
 * call into the next (a refusal in the middle of a bundle included). */
Test(cli_parse, stateless_and_argv_untouched)
{
    pn_options o;
    pn_error err;
    char *argv[] = {"pc", "merge", "a.json", "-q", "b.json", "--", "-c.json", NULL};
    char *copy[8];
    memcpy(copy, argv, sizeof argv);
    cr_assert_eq(pn_cli_parse(7, argv, &o, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(o.merge_count, 3);
    cr_assert(memcmp(copy, argv, sizeof argv) == 0, "argv was reordered");
    pn_cli_free(&o);
    for (int round = 0; round < 3; round++) {
        REFUSED("'-x'", "-qxh", "10");
        cr_assert_eq(PARSE(&o, &err, "-h10", "-p4", "-g20"), PN_OK, "%s", err.msg);
        cr_assert_not(o.quiet);
        cr_assert_eq(o.query.hosts, 10);
        REFUSED("needs a value", "-h10", "-p4", "-g");
    }
}
