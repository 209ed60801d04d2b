/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_mpi.c -- powernap_calculator-mpi under mpirun: the exact answer on both models, restores after SIGINT with another -np, every index counted once, fleets and sweeps split among the workers. */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>

#include "cli_fixture.h"
#include "count_fixture.h"
#include "engine/pn_exact_range.h"
#include "slice/pn_slice.h"
#include "file_fixture.h"
#include "query_fixture.h"

/* mpirun as CI runs it: as root, and with more ranks than this machine's
 * two cores. */
static const char *const MPIRUN_FLAGS[] = {"--allow-run-as-root", "--oversubscribe"};

static char mpirun[256];
static char dir[64];

/* $PN_MPI_BINARY, else ../powernap_calculator-mpi (the tests run from build/). */
static const char *mpi_binary(void)
{
    const char *b = getenv("PN_MPI_BINARY");
    return b && *b ? b : "../powernap_calculator-mpi";
}

/* mpirun's path from $PATH into `mpirun`; false when there is none. */
static bool find_mpirun(void)
{
    const char *path = getenv("PATH");
    char *copy = strdup(path ? path : "/usr/bin:/bin");
    bool found = false;
    for (char *d = strtok(copy, ":"); d && !found; d = strtok(NULL, ":")) {
        snprintf(mpirun, sizeof mpirun, "%s/mpirun", d);
        found = access(mpirun, X_OK) == 0;
    }
    free(copy);
    return found;
}

/* Skips cleanly where MPI cannot run: no mpirun, no MPI binary, or
 * PN_MPI_SKIP set (to the reason). */
static void setup(void)
{
    const char *why = getenv("PN_MPI_SKIP");
    if (why && *why)
        cr_skip_test("%s", why);
    if (!find_mpirun())
        cr_skip_test("mpirun is not installed (scripts/install-deps.sh installs openmpi-bin)");
    if (access(mpi_binary(), X_OK) != 0)
        cr_skip_test("%s is not built (make builds it when mpicc exists)", mpi_binary());
    temp_dir_make(dir, sizeof dir, "mpi");
}

static void teardown(void)
{
    if (dir[0])
        remove_tree(dir);
}

TestSuite(mpi, .init = setup, .fini = teardown, .timeout = 120);

/* "ASAN_OPTIONS=..." for the ranks under `make sanitize` (see the Makefile:
 * no leak detection inside Open MPI processes), or NULL. */
static char *rank_asan_options(void)
{
    static char kv[256];
    const char *v = getenv("PN_MPI_ASAN_OPTIONS");
    if (!v || !*v)
        return NULL;
    snprintf(kv, sizeof kv, "ASAN_OPTIONS=%s", v);
    return kv;
}

/* Starts `mpirun -np ranks powernap_calculator-mpi args...` (args
 * NULL-terminated); PN_MPI_STATS=1 is passed on to rank 0. */
static cli_process mpi_spawn(const char *ranks, char *const *args)
{
    char *argv[64] = {mpirun, (char *)MPIRUN_FLAGS[0], (char *)MPIRUN_FLAGS[1], "-x",
                      "PN_MPI_STATS=1"};
    int n = 5;
    if (rank_asan_options()) {
        argv[n++] = "-x";
        argv[n++] = rank_asan_options();
    }
    argv[n++] = "-np";
    argv[n++] = (char *)ranks;
    argv[n++] = (char *)mpi_binary();
    for (int i = 0; args[i] && n < 63; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    return cli_spawn_argv(NULL, NULL, argv);
}

static cli_result mpi_run(const char *ranks, char *const *args)
{
    cli_process p = mpi_spawn(ranks, args);
    return cli_wait(&p);
}

/* Runs 3 ranks on h/p/g and checks the report's counts against the exact ones. */
static void three_ranks_agree(const char *engine, const char *h, const char *p, const char *g,
                              const char *model)
{
    cli_result r = mpi_run("3", (char *const[]){"-h", (char *)h, "-p", (char *)p, "-g",
                                                (char *)g, "-m", (char *)model, "-e",
                                                (char *)engine, "-q", "-f", "csv", NULL});
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, "mpi stats: 2 worker ranks"), "%s", r.err);
    uint64_t hosts = strtoull(h, NULL, 10), per = strtoull(p, NULL, 10);
    assert_csv_counts_exact(r.out, hosts, per, strtoull(g, NULL, 10),
                            strcmp(model, "slots") ? PN_MODEL_UNIFORM : PN_MODEL_SLOTS, 0,
                            keyspace_of(hosts, per));
    cli_free(&r);
}

Test(mpi, three_cpu_ranks_equal_the_exact_engine_on_both_models)
{
    three_ranks_agree("cpu", "12", "3", "18", "uniform");
    three_ranks_agree("cpu", "11", "4", "21", "slots");
}

Test(mpi, three_opencl_ranks_equal_the_exact_engine)
{
    three_ranks_agree("opencl", "13", "4", "27", "slots");
}

Test(mpi, without_mpirun_it_answers_as_one_rank)
{
    char *const args[] = {(char *)mpi_binary(), "-h", "10", "-p", "4", "-g", "20", "-e", "cpu",
                          "-f", "csv", NULL};
    char *env[] = {rank_asan_options(), NULL};
    cli_process p = cli_spawn_argv(NULL, env, args);
    cli_result r = cli_wait(&p);
    cr_assert_eq(r.status, 0, "%s", r.err);
    assert_csv_counts_exact(r.out, 10, 4, 20, PN_MODEL_UNIFORM, 0, 9765625);
    cli_free(&r);
}

/* SIGINT to mpirun, once the ledger holds finished work (waited for, never
 * a fixed time): mpirun passes SIGTERM to every rank; rank 0 saves the
 * ledger of the finished chunks and says how to continue. mpirun itself
 * then exits 1 (Open MPI's status for a job it was told to end); a rank
 * signalled directly (srun, kill) leaves with 130. A ledger written by 3
 * ranks then finishes with 2, on another engine, at the exact answer. */
Test(mpi, sigint_of_a_three_rank_run_restores_with_two_ranks_to_the_exact_answer)
{
    char ledger[96];
    snprintf(ledger, sizeof ledger, "%s/run.ledger", dir);
    cli_process p = mpi_spawn("3", (char *const[]){"-h", "14", "-p", "4", "-g", "28", "-e", "cpu",
                                                   "--checkpoint", ledger, "--checkpoint-every",
                                                   "1", "-f", "csv", NULL});
    const char *const saved[] = {ledger, "\"ranges\": [["};
    cli_wait_for(&p, cli_event_file_holds, saved, 100);
    kill(p.pid, SIGINT);
    cli_result r = cli_wait(&p);
    cr_assert_neq(r.status, 0, "the run ended before the signal: %s", r.out);
    cr_assert_str_empty(r.out, "no report after a stop");
    cli_free(&r);
    pn_slice s;
    pn_error err;
    cr_assert_eq(pn_slice_read_file(ledger, &s, &err), PN_OK, "%s", err.msg);
    cr_assert(s.is_ledger && s.nranges >= 1, "nothing saved before the stop");
    cr_assert_lt(s.ranges[0].count, 6103515625ULL, "the run was not stopped");
    pn_slice_clear(&s);

    r = mpi_run("2", (char *const[]){"--restore", ledger, "-e", "opencl", "-q", "-f", "csv",
                                     NULL});
    cr_assert_eq(r.status, 0, "restore: %s", r.err);
    assert_csv_counts_exact(r.out, 14, 4, 28, PN_MODEL_UNIFORM, 0, 6103515625ULL);
    cli_free(&r);
}

/* Short chunks (a quarter of 1 s, the shortest interval) over an odd slice: the finished ledger
 * holds exactly one range, the requested one, with the exact counts, so
 * every index was counted once, whichever rank counted it. */
Test(mpi, the_finished_ledger_covers_every_index_once)
{
    char ledger[96];
    snprintf(ledger, sizeof ledger, "%s/cover.ledger", dir);
    cli_result r = mpi_run("3", (char *const[]){"-h", "13", "-p", "4", "-g", "26", "-m", "slots",
                                                "-e", "cpu", "--skip", "1000003", "--limit",
                                                "300000007", "--checkpoint", ledger,
                                                "--checkpoint-every", "1", "-q", "-f", "csv",
                                                NULL});
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    const char *stats = strstr(r.err, "worker ranks, ");
    cr_assert_not_null(stats, "%s", r.err);
    /* more than 4 chunks at any speed: a first chunk is 10^6 scenarios and
     * the next at most 4 times the last, so one rank needs 5 to reach 3e8 */
    cr_assert_gt(strtoull(stats + strlen("worker ranks, "), NULL, 10), 4, "%s", r.err);
    pn_slice s;
    pn_error err;
    cr_assert_eq(pn_slice_read_file(ledger, &s, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(s.nranges, 1);
    cr_assert_eq(s.ranges[0].first, 1000003);
    cr_assert_eq(s.ranges[0].count, 300000007);
    pn_query q = resolved((pn_query){.hosts = 13, .per_host = 4, .guests = 26,
                                     .model = PN_MODEL_SLOTS});
    pn_histogram want;
    cr_assert_eq(pn_histogram_init(&want, 13, &err), PN_OK);
    cr_assert_eq(pn_exact_range_count(&q, 1000003, 300000007, &want, &err), PN_OK);
    cr_assert(pn_histogram_equal(&s.hists[0], &want), "the ledger's counts are not the exact ones");
    pn_histogram_clear(&want);
    pn_slice_clear(&s);
    cli_free(&r);
}

/* The number after "mpi stats: 2 worker ranks, " in rank 0's stderr: the
 * chunks the two workers finished. */
static unsigned long long chunks_of_two_workers(const char *err)
{
    const char *stats = strstr(err, "mpi stats: 2 worker ranks, ");
    cr_assert_not_null(stats, "the run was not split among the worker ranks: %s", err);
    return strtoull(stats + strlen("mpi stats: 2 worker ranks, "), NULL, 10);
}

/* A fleet and a sweep go out to the workers like any question, the whole of
 * it (groups, levels) in the broadcast and every level in each chunk, and
 * the answer is the plain binary's, byte for byte. */
Test(mpi, fleets_and_sweeps_are_split_among_the_workers)
{
    char *const fleet[] = {"--fleet", "8x4,2x16", "-g", "20", NULL};
    char *const sweep[] = {"-h", "10", "-p", "4", "-g", "18:22", "-e", "cpu", "-f", "csv", NULL};
    char *const weighted[] = {"--fleet", "3x2@80,2x4@120", "-g", "all", "-e", "cpu", "--price",
                              "0.1", "-f", "csv", NULL};
    char *const *cases[] = {fleet, sweep, weighted};
    for (int i = 0; i < 3; i++) {
        cli_result ranks = mpi_run("3", cases[i]);
        cli_result plain = cli_run_env(NULL, NULL, cases[i]);
        cr_assert_eq(ranks.status, 0, "%s", ranks.err);
        cr_assert_eq(plain.status, 0, "%s", plain.err);
        /* a keyspace past the first chunk is cut into several */
        cr_assert_geq(chunks_of_two_workers(ranks.err), i < 2 ? 2 : 1);
        cr_assert_str_eq(ranks.out, plain.out);
        cli_free(&ranks);
        cli_free(&plain);
    }
}
