/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_plot.c -- charts: valid PNG and SVG of 800x500, the plotted numbers are the report's, bad paths refused without a partial file. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "cli_fixture.h"
#include "file_fixture.h"
#include "engine/pn_engine.h"
#include "report/pn_plot.h"
#include "report/pn_savings.h"

/* The width and height in a PNG's IHDR chunk (big-endian, after the
 * 8-byte signature and the chunk's length and type). */
static void png_size(const char *path, unsigned *w, unsigned *h)
{
    unsigned char b[24];
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    cr_assert_eq(fread(b, 1, 24, f), 24);
    fclose(f);
    cr_assert(memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0, "PNG signature");
    cr_assert(memcmp(b + 12, "IHDR", 4) == 0, "IHDR first");
    *w = (unsigned)b[16] << 24 | (unsigned)b[17] << 16 | (unsigned)b[18] << 8 | b[19];
    *h = (unsigned)b[20] << 24 | (unsigned)b[21] << 16 | (unsigned)b[22] << 8 | b[23];
}

/* Files in dir other than . and .. */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

Test(plot, png_and_svg_of_the_stated_size)
{
    char dir[32], png[64], svg[64];
    temp_dir_make(dir, sizeof dir, "plot");
    snprintf(png, sizeof png, "%s/seed.png", dir);
    snprintf(svg, sizeof svg, "%s/sweep.SVG", dir);
    cli_result r = cli_run("-h", "10", "-p", "4", "-g", "20", "-q", "--plot", png);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cli_free(&r);
    unsigned w, h;
    png_size(png, &w, &h);
    cr_assert_eq(w, 800);
    cr_assert_eq(h, 500);
    r = cli_run("--fleet", "4x2,1x6@300", "-g", "all", "-q", "--watts", "100", "--plot", svg);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cli_free(&r);
    FILE *f = fopen(svg, "r");
    char head[512] = "";
    cr_assert(fread(head, 1, sizeof head - 1, f) > 0);
    fclose(f);
    cr_assert(strstr(head, "<svg"), "%s", head);
    cr_assert(strstr(head, "width=\"800\" height=\"500\""), "%s", head);
    cr_assert_eq(entries(dir), 2, "no temporary file left");
    unlink(png);
    unlink(svg);
    rmdir(dir);
}

/* The bars are the report's probabilities, the markers its expected value
 * and packing bound. */
Test(plot, the_plotted_numbers_are_the_reports)
{
    pn_query q = {.hosts = 10, .per_host = 4, .guests = 20};
    pn_error err;
    cr_assert_eq(pn_query_resolve(&q, &err), PN_OK);
    pn_histogram hist;
    pn_run run = {0};
    pn_histogram_init_query(&hist, &q, &err);
    cr_assert_eq(pn_engine_exact_run(&q, &run, &hist, &err), PN_OK);
    pn_report_input in = {.query = &q, .hist = &hist, .engine = "exact"};
    pn_plot_data d;
    cr_assert_eq(pn_plot_data_single(&in, &d, &err), PN_OK);
    cr_assert_eq(d.kind, PN_PLOT_BARS);
    cr_assert_eq(d.n, 6, "the six rows the report prints");
    mpz_t total;
    mpz_init(total);
    pn_histogram_total(&hist, total);
    for (size_t i = 0; i < d.n; i++)
        cr_assert_eq(d.y[i], pn_histogram_percent(&hist, total, (uint64_t)d.x[i]));
    mpz_clear(total);
    cr_assert_eq(d.expected_percent, pn_savings_expected_percent(&q, &hist));
    cr_assert_eq(d.bound_x, 5);
    cr_assert_eq(d.bound_percent, 50.0);
    cr_assert(strstr(d.title, "10 hosts x 4 guests, 20 guests, uniform model"), "%s", d.title);
    pn_plot_data_clear(&d);
    /* a sweep's curve: each point the report's expected value at that g */
    pn_levels lv;
    cr_assert_eq(pn_levels_range(&lv, 18, 20, &err), PN_OK);
    pn_histogram hists[3];
    for (int i = 0; i < 3; i++)
        pn_histogram_init_query(&hists[i], &q, &err);
    q.levels = lv;
    cr_assert_eq(pn_query_resolve(&q, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(pn_engine_exact_run(&q, &run, hists, &err), PN_OK);
    pn_levels_report lr = {.query = &q, .levels = &lv, .hists = hists, .engine = "exact"};
    cr_assert_eq(pn_plot_data_levels(&lr, &d, &err), PN_OK);
    cr_assert_eq(d.kind, PN_PLOT_CURVE);
    cr_assert_eq(d.x[2], 20);
    cr_assert_eq(d.y[2], pn_savings_expected_percent(&q, &hist));
    cr_assert_eq(d.bound[2], 50.0);
    pn_plot_data_clear(&d);
    for (int i = 0; i < 3; i++)
        pn_histogram_clear(&hists[i]);
    pn_histogram_clear(&hist);
    pn_levels_clear(&lv);
}

/* Issue 18: the legend names the model (random placement is the slots
 * model, not the uniform one); a slice's chart says it is a slice; a bar
 * chart of one host gets the ticks 0 and 1, not -0.5, 0, 0.5, 1, 1.5. */
Test(plot, legend_slice_and_whole_host_ticks)
{
    pn_error err;
    pn_run run = {0};
    pn_model models[] = {PN_MODEL_UNIFORM, PN_MODEL_SLOTS};
    const char *legends[] = {"- expected savings (uniform model)",
                             "- expected savings (slots model: random placement)"};
    for (int m = 0; m < 2; m++) {
        pn_levels lv;
        cr_assert_eq(pn_levels_range(&lv, 0, 2, &err), PN_OK);
        pn_query q = {.hosts = 2, .per_host = 1, .model = models[m], .levels = lv};
        cr_assert_eq(pn_query_resolve(&q, &err), PN_OK, "%s", err.msg);
        pn_histogram hists[3];
        for (int i = 0; i < 3; i++)
            pn_histogram_init_query(&hists[i], &q, &err);
        cr_assert_eq(pn_engine_exact_run(&q, &run, hists, &err), PN_OK, "%s", err.msg);
        pn_levels_report lr = {.query = &q, .levels = &lv, .hists = hists, .engine = "exact"};
        pn_plot_data d;
        cr_assert_eq(pn_plot_data_levels(&lr, &d, &err), PN_OK);
        cr_assert_str_eq(d.legend, legends[m]);
        pn_plot_data_clear(&d);
        for (int i = 0; i < 3; i++)
            pn_histogram_clear(&hists[i]);
        pn_levels_clear(&lv);
    }
    pn_query q = {.hosts = 10, .per_host = 4, .guests = 20, .sliced = true, .skip = 0,
                  .limit = 100};
    cr_assert_eq(pn_query_resolve(&q, &err), PN_OK, "%s", err.msg);
    pn_histogram hist;
    pn_histogram_init_query(&hist, &q, &err);
    cr_assert_eq(pn_engine_cpu_run(&q, &run, &hist, &err), PN_OK, "%s", err.msg);
    pn_report_input in = {.query = &q, .hist = &hist, .engine = "cpu"};
    pn_plot_data d;
    cr_assert_eq(pn_plot_data_single(&in, &d, &err), PN_OK);
    cr_assert(strstr(d.title, "a slice of 100 of 9765625 scenarios"), "%s", d.title);
    pn_plot_data_clear(&d);
    pn_histogram_clear(&hist);
    double ticks[32];
    cr_assert_eq(pn_plot_ticks(-0.5, 1.5, true, ticks, 32), 2);
    cr_assert_eq(ticks[0], 0.0);
    cr_assert_eq(ticks[1], 1.0);
    size_t n = pn_plot_ticks(-0.5, 3.5, true, ticks, 32);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(ticks[i], (double)i, "tick %zu is %g", i, ticks[i]);
    cr_assert_eq(n, 4);
    /* the y axis keeps its fractional steps */
    cr_assert_eq(pn_plot_ticks(0, 1, false, ticks, 32), 6);
    cr_assert_float_eq(ticks[1], 0.2, 1e-12);
}

/* A destination that cannot be written is refused before any work, exit 2
 * naming --plot and the path, with no report and nothing left behind: a
 * missing directory, a directory, a directory without write permission. */
Test(plot, bad_paths_are_refused_before_the_work)
{
    cli_result r = cli_run("-h", "4", "-p", "2", "-g", "3", "--plot", "chart.jpg");
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert(strstr(r.err, "'chart.jpg': the format comes from the extension, .png or .svg"),
              "%s", r.err);
    cli_free(&r);
    char dir[32], path[64];
    temp_dir_make(dir, sizeof dir, "plot");
    snprintf(path, sizeof path, "%s/chart.png", dir);
    const char *missing = "/nonexistent-pn-dir/c.png";
    mkdir(path, 0700); /* a path that is a directory */
    const char *bad[] = {missing, path};
    for (int i = 0; i < 2; i++) {
        r = cli_run("-h", "4", "-p", "2", "-g", "3", "-e", "cpu", "-q", "--plot", (char *)bad[i]);
        cr_assert_eq(r.status, 2, "%s: exit %d: %s", bad[i], r.status, r.err);
        cli_assert_usage_shape(r.err, "--plot");
        cr_assert(strstr(r.err, bad[i]), "names both: %s", r.err);
        cr_assert_str_eq(r.out, "", "refused before the report");
        cli_free(&r);
    }
    cr_assert_eq(entries(dir), 1, "only the directory, no temporary file");
    rmdir(path);
    chmod(dir, 0500);
    if (geteuid() != 0) { /* root writes anywhere */
        r = cli_run("-h", "4", "-p", "2", "-g", "3", "-e", "cpu", "-q", "--plot", path);
        cr_assert_eq(r.status, 2, "%s", r.err);
        cr_assert(strstr(r.err, "--plot") && strstr(r.err, path), "%s", r.err);
        cli_free(&r);
    }
    chmod(dir, 0700);
    cr_assert_eq(entries(dir), 0, "no partial file");
    rmdir(dir);
}

/* Runs the binary with files limited to `max_bytes` (SIGXFSZ ignored, so a
 * longer write fails with EFBIG): a disk that fills up during the run,
 * after the destination was found writable. */
static cli_result run_with_file_limit(rlim_t max_bytes, char *const *args)
{
    struct rlimit old, small = {.rlim_cur = max_bytes, .rlim_max = max_bytes};
    cr_assert_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
    small.rlim_max = old.rlim_max;
    void (*was)(int) = signal(SIGXFSZ, SIG_IGN);
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
    cli_process p = cli_spawn(NULL, NULL, args); /* the child inherits both */
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, was);
    return cli_wait(&p);
}

/* A chart that still cannot be written once the work is done costs the
 * chart, not the report: the report on stdout (as a run without --plot
 * prints it), the chart's error on stderr, exit 1, no partial chart. One
 * question, then a sweep. */
Test(plot, a_chart_that_fails_after_the_work_keeps_the_report)
{
    char dir[32], path[64];
    temp_dir_make(dir, sizeof dir, "plot");
    snprintf(path, sizeof path, "%s/chart.png", dir);
    char *const one[] = {"-h", "6", "-p", "2", "-g", "4", "-e", "cpu", "-q", NULL};
    char *const sweep[] = {"-h", "6", "-p", "2", "-g", "all", "-e", "exact", "-q", NULL};
    char *const *questions[] = {one, sweep};
    for (int i = 0; i < 2; i++) {
        char *args[16];
        int n = 0;
        for (; questions[i][n]; n++)
            args[n] = questions[i][n];
        args[n] = NULL;
        cli_result plain = cli_run_env(NULL, NULL, args);
        cr_assert_eq(plain.status, 0, "%s", plain.err);
        args[n++] = "--plot";
        args[n++] = path;
        args[n] = NULL;
        /* the report fits in 4 KiB, a chart of 800x500 does not */
        cr_assert_lt(strlen(plain.out), 4096);
        cli_result r = run_with_file_limit(4096, args);
        cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
        cr_assert_str_eq(r.out, plain.out, "the report as without --plot");
        cr_assert(strstr(r.err, path), "the chart's error names it: %s", r.err);
        cr_assert_eq(entries(dir), 0, "no partial chart");
        cli_free(&r);
        cli_free(&plain);
    }
    rmdir(dir);
}
