/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_trace_generate.c -- the --flavors parser, the synthetic trace's statistics, seed and counter layout, and the trace CSV read back bit for bit by a parser of the test's own. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <Random123/philox.h>

#include "file_fixture.h"
#include "replay/pn_trace_sources.h"

/* ---- --flavors ---- */

Test(trace_generate, flavors_parsed)
{
    pn_flavors f;
    pn_error err;
    cr_assert_eq(pn_flavors_parse("1:0.5,2:0.3,4:0.2", &f, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(f.n, 3);
    cr_expect_not(f.has_memory);
    cr_expect(f.cores[0] == 1 && f.cores[1] == 2 && f.cores[2] == 4);
    cr_expect(f.probability[0] == 0.5 && f.probability[1] == 0.3 && f.probability[2] == 0.2);
    cr_assert_eq(pn_flavors_parse("1/2:0.5,2.5/8:.5", &f, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(f.n, 2);
    cr_expect(f.has_memory);
    cr_expect(f.cores[1] == 2.5 && f.memory[0] == 2 && f.memory[1] == 8);
    /* ten 0.1 add up to 0.9999999999999999 in binary: within 1e-9 of 1 */
    cr_assert_eq(pn_flavors_parse("1:0.1,2:0.1,3:0.1,4:0.1,5:0.1,6:0.1,7:0.1,8:0.1,9:0.1,10:0.1",
                                  &f, &err), PN_OK, "%s", err.msg);
    cr_expect_eq(f.n, 10);
    cr_assert_eq(pn_flavors_parse("8:1", &f, &err), PN_OK, "%s", err.msg);
    cr_expect(f.n == 1 && f.cores[0] == 8);
}

/* text refused with PN_ERR_USAGE and a message holding why; f unchanged. */
static void flavors_refused(const char *text, const char *why)
{
    pn_flavors f = {.n = 99};
    pn_error err;
    pn_status st = pn_flavors_parse(text, &f, &err);
    cr_expect_eq(st, PN_ERR_USAGE, "'%s': %s", text, pn_status_name(st));
    cr_expect(strstr(err.msg, why), "'%s': '%s' should say '%s'", text, err.msg, why);
    cr_expect_eq(strncmp(err.msg, "--flavors", 9), 0, "%s", err.msg);
    cr_expect(f.n == 99 && !f.has_memory && f.cores[0] == 0 && f.probability[0] == 0,
              "'%s' changed the flavors", text);
}

Test(trace_generate, flavors_refused)
{
    flavors_refused("", "--flavors is empty");
    flavors_refused("1:0.5,2:0.3", "the probabilities add up to 0.8, not 1");
    flavors_refused("1:0.5,2:0.5000001", "add up to 1.0000001, not 1");
    flavors_refused("1:0.5,2/4:0.5", "item 2 '2/4:0.5': memory is given on some items only");
    flavors_refused("1/4:0.5,2:0.5", "item 2 '2:0.5': memory is given on some items only");
    flavors_refused("x:1", "item 1 'x:1': the cores 'x' are not a plain positive number");
    flavors_refused("0:1", "the cores '0' are not a plain positive number");
    flavors_refused("-1:1", "the cores '-1' are not");
    flavors_refused("1:1.5", "the probability '1.5' is not a plain number from 0 to 1");
    flavors_refused("1:nan", "the probability 'nan' is not");
    flavors_refused("1:", "the probability '' is not");
    flavors_refused("1/:1", "the memory '' is not");
    flavors_refused("1", "item 1 '1': expected CORES:PROBABILITY");
    flavors_refused("1:1,", "item 2 '': expected CORES:PROBABILITY");
    char many[1024] = "";
    for (int i = 0; i < PN_FLAVORS_MAX + 1; i++)
        strcat(many, i ? ",1:0" : "1:1");
    flavors_refused(many, "more than 64 flavors");
}

/* ---- the generator ---- */

static pn_trace generated(const pn_trace_spec *spec)
{
    pn_trace t;
    pn_trace_init(&t);
    pn_error err;
    cr_assert_eq(pn_trace_generate(spec, &t, &err), PN_OK, "%s", err.msg);
    return t;
}

/* 3600 VMs an hour for 200000 s: about 200000 arrivals (sd 447), lifetimes
 * of mean 500 s (sd of the mean 1.1 s), flavor shares 0.5/0.3/0.2 (sd under
 * 0.0012): the tolerances are several deviations wide. */
Test(trace_generate, statistics_of_a_fixed_seed)
{
    pn_flavors f;
    pn_error err;
    cr_assert_eq(pn_flavors_parse("1:0.5,2:0.3,4:0.2", &f, &err), PN_OK);
    pn_trace_spec spec = {.arrivals_per_hour = 3600, .lifetime_seconds = 500,
                          .duration_seconds = 200000, .flavors = &f, .seed = 42};
    pn_trace t = generated(&spec);
    cr_expect_not(t.has_memory);
    cr_expect(fabs((double)t.count - 200000) < 4000, "%zu arrivals", t.count);
    double life = 0, share[3] = {0};
    for (size_t i = 0; i < t.count; i++) {
        const pn_trace_vm *vm = &t.vms[i];
        cr_assert(vm->start >= 0 && vm->start < 200000, "vm %zu starts at %g", i, vm->start);
        cr_assert(i == 0 || vm->start >= t.vms[i - 1].start, "vm %zu out of order", i);
        cr_assert(vm->end > vm->start, "vm %zu", i);
        cr_assert(vm->memory == 0 && vm->origin == 0, "vm %zu", i);
        life += vm->end - vm->start;
        share[vm->cores == 1 ? 0 : vm->cores == 2 ? 1 : 2]++;
        cr_assert(vm->cores == 1 || vm->cores == 2 || vm->cores == 4, "%g cores", vm->cores);
    }
    life /= (double)t.count;
    cr_expect(fabs(life - 500) < 10, "mean lifetime %g", life);
    const double want[3] = {0.5, 0.3, 0.2};
    for (int k = 0; k < 3; k++)
        cr_expect(fabs(share[k] / (double)t.count - want[k]) < 0.01, "flavor %d: %g", k,
                  share[k] / (double)t.count);
    /* the same seed again: the same trace, bit for bit; another: another */
    pn_trace again = generated(&spec);
    cr_expect_eq(again.count, t.count);
    cr_expect_eq(memcmp(again.vms, t.vms, t.count * sizeof *t.vms), 0);
    pn_trace_free(&again);
    spec.seed = 43;
    pn_trace other = generated(&spec);
    cr_expect(other.count != t.count || memcmp(other.vms, t.vms, t.count * sizeof *t.vms) != 0);
    pn_trace_free(&other);
    pn_trace_free(&t);
}

/* The documented counter layout, followed here by hand with Random123
 * directly: the first three VMs agree bit for bit. Seed 2^32 + 7 puts
 * something in both key words. */
Test(trace_generate, counter_layout_as_documented)
{
    pn_flavors f;
    pn_error err;
    cr_assert_eq(pn_flavors_parse("1/2:0.25,3/6:0.75", &f, &err), PN_OK);
    uint64_t seed = (1ull << 32) + 7;
    pn_trace_spec spec = {.arrivals_per_hour = 7200, .lifetime_seconds = 60,
                          .duration_seconds = 1000, .flavors = &f, .seed = seed};
    pn_trace t = generated(&spec);
    cr_assert_geq(t.count, 3);
    cr_expect(t.has_memory);
    philox4x32_key_t key = {{7, 1}};
    double clock = 0;
    for (uint32_t i = 0; i < 3; i++) {
        philox4x32_ctr_t c0 = {{i, 0, 0, 0}}, c1 = {{i, 0, 1, 0}};
        philox4x32_ctr_t a = philox4x32(c0, key), b = philox4x32(c1, key);
        uint64_t gap = (uint64_t)a.v[1] << 32 | a.v[0], life = (uint64_t)a.v[3] << 32 | a.v[2];
        uint64_t pick = (uint64_t)b.v[1] << 32 | b.v[0];
        clock += -log((double)((gap >> 11) * 2 + 1) / 0x1p54) / 2.0; /* 7200/h = 2/s */
        double end = clock + -log((double)((life >> 11) * 2 + 1) / 0x1p54) * 60;
        bool small = (double)(pick >> 11) / 0x1p53 < 0.25;
        cr_expect_eq(t.vms[i].start, clock, "vm %u start %.17g, by hand %.17g", i,
                     t.vms[i].start, clock);
        cr_expect_eq(t.vms[i].end, end, "vm %u", i);
        cr_expect_eq(t.vms[i].cores, small ? 1 : 3, "vm %u", i);
        cr_expect_eq(t.vms[i].memory, small ? 2 : 6, "vm %u", i);
    }
    pn_trace_free(&t);
}

/* The first VMs do not depend on the duration: a shorter run is a prefix. */
Test(trace_generate, shorter_duration_is_a_prefix)
{
    pn_flavors f;
    pn_error err;
    cr_assert_eq(pn_flavors_parse("2:1", &f, &err), PN_OK);
    pn_trace_spec spec = {.arrivals_per_hour = 360, .lifetime_seconds = 900,
                          .duration_seconds = 86400, .flavors = &f, .seed = 5};
    pn_trace full = generated(&spec);
    spec.duration_seconds = 43200;
    pn_trace half = generated(&spec);
    cr_assert_lt(half.count, full.count);
    cr_expect_eq(memcmp(half.vms, full.vms, half.count * sizeof *half.vms), 0);
    cr_expect_geq(full.vms[half.count].start, 43200);
    pn_trace_free(&half);
    pn_trace_free(&full);
}

/* Hours 0-11 at 1, 12-23 at 0 over two days at 3600/h: about 86400
 * arrivals (sd 294), none in an afternoon. */
Test(trace_generate, hourly_curve_thins_the_stream)
{
    pn_flavors f;
    pn_error err;
    cr_assert_eq(pn_flavors_parse("1:1", &f, &err), PN_OK);
    double hourly[24];
    for (int h = 0; h < 24; h++)
        hourly[h] = h < 12 ? 1 : 0;
    pn_trace_spec spec = {.arrivals_per_hour = 3600, .lifetime_seconds = 60,
                          .duration_seconds = 172800, .flavors = &f, .seed = 1,
                          .hourly = hourly};
    pn_trace t = generated(&spec);
    cr_expect(fabs((double)t.count - 86400) < 2000, "%zu arrivals", t.count);
    for (size_t i = 0; i < t.count; i++)
        cr_assert_lt(fmod(t.vms[i].start, 86400), 43200, "vm %zu at %.17g", i, t.vms[i].start);
    pn_trace_free(&t);
    /* a curve of 2 then 1: the peak doubles the candidates, thinning halves
     * the second half of the day; about 3600*12*(2+1)*2 = 259200 over two days */
    for (int h = 0; h < 24; h++)
        hourly[h] = h < 12 ? 2 : 1;
    t = generated(&spec);
    cr_expect(fabs((double)t.count - 259200) < 4000, "%zu arrivals", t.count);
    pn_trace_free(&t);
}

static void spec_refused(const pn_trace_spec *spec, const char *why)
{
    pn_trace t;
    pn_trace_init(&t);
    pn_error err;
    pn_status st = pn_trace_generate(spec, &t, &err);
    cr_expect_eq(st, PN_ERR_USAGE, "%s: %s", pn_status_name(st), err.msg);
    cr_expect(strstr(err.msg, why), "'%s' should say '%s'", err.msg, why);
    cr_expect_eq(t.count, 0);
    cr_expect_null(t.vms);
}

Test(trace_generate, bad_specs_refused)
{
    pn_flavors f = {0};
    pn_error err;
    cr_assert_eq(pn_flavors_parse("1:1", &f, &err), PN_OK);
    const pn_trace_spec good = {.arrivals_per_hour = 10, .lifetime_seconds = 10,
                                .duration_seconds = 10, .flavors = &f};
    pn_trace_spec s = good;
    s.arrivals_per_hour = 0;
    spec_refused(&s, "--arrivals 0: the rate must be a positive");
    s.arrivals_per_hour = NAN;
    spec_refused(&s, "--arrivals nan");
    s = good;
    s.lifetime_seconds = -1;
    spec_refused(&s, "--lifetime -1");
    s.lifetime_seconds = 1e308;
    spec_refused(&s, "departures would pass the largest time");
    s = good;
    s.duration_seconds = INFINITY;
    spec_refused(&s, "--duration inf");
    s = good;
    s.arrivals_per_hour = 1e9;
    s.duration_seconds = 1e9;
    spec_refused(&s, "more than 100000000");
    s = good;
    s.flavors = NULL;
    spec_refused(&s, "no flavors");
    double hourly[24] = {0};
    s = good;
    s.hourly = hourly;
    spec_refused(&s, "all 0");
    hourly[3] = NAN;
    spec_refused(&s, "hour 3 is nan");
}

/* ---- the trace CSV ---- */

Test(trace_generate, shortest_text_that_reads_back)
{
    char buf[32];
    const struct { double x; const char *text; } cases[] = {
        {0.1, "0.1"}, {0.1 + 0.2, "0.30000000000000004"}, {1.0 / 3, "0.3333333333333333"},
        {86400, "86400"}, {-21600, "-21600"}, {1e21, "1e+21"}, {2591700, "2591700"},
        {0x1p-1074, "4.94065645841247e-324"}, {0, "0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int n = pn_trace_format_double(cases[i].x, buf, sizeof buf);
        cr_expect_str_eq(buf, cases[i].text);
        cr_expect_eq(n, (int)strlen(cases[i].text));
    }
}

/* The test's own reader of the trace CSV: header, then rows of 3 or 4
 * numbers, each strtod'ed; the count of rows read. */
static size_t read_back(const char *path, bool memory, pn_trace_vm *out, size_t max)
{
    char *text = read_text(path), *save = NULL;
    char *line = strtok_r(text, "\n", &save);
    cr_assert_str_eq(line, memory ? "start,end,cores,memory" : "start,end,cores");
    size_t n = 0;
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        cr_assert_lt(n, max);
        double v[4] = {0};
        char *p = line;
        for (int k = 0; k < (memory ? 4 : 3); k++) {
            char *end;
            v[k] = strtod(p, &end);
            cr_assert(end > p, "row %zu: '%s'", n + 1, line);
            cr_assert(*end == (k + 1 < (memory ? 4 : 3) ? ',' : '\0'), "row %zu: '%s'", n + 1,
                      line);
            p = end + 1;
        }
        out[n++] = (pn_trace_vm){.start = v[0], .end = v[1], .cores = v[2], .memory = v[3]};
    }
    free(text);
    return n;
}

Test(trace_generate, csv_reads_back_bit_for_bit)
{
    pn_flavors f;
    pn_error err;
    cr_assert_eq(pn_flavors_parse("0.5/1.7:0.3,1/3.3:0.3,2.25/7.1:0.4", &f, &err), PN_OK);
    pn_trace_spec spec = {.arrivals_per_hour = 977, .lifetime_seconds = 3333.3,
                          .duration_seconds = 86400 * 3, .flavors = &f, .seed = 1234567};
    char dir[64], path[128];
    temp_dir_make(dir, sizeof dir, "trace-csv");
    snprintf(path, sizeof path, "%s/trace.csv", dir);
    for (int memory = 1; memory >= 0; memory--) {
        pn_trace t = generated(&spec);
        t.has_memory = memory;
        cr_assert_eq(pn_trace_write_csv(&t, path, &err), PN_OK, "%s", err.msg);
        pn_trace_vm *back = calloc(t.count + 1, sizeof *back);
        size_t n = read_back(path, memory, back, t.count + 1);
        cr_assert_eq(n, t.count);
        for (size_t i = 0; i < n; i++) {
            cr_assert(memcmp(&back[i].start, &t.vms[i].start, sizeof(double)) == 0 &&
                      memcmp(&back[i].end, &t.vms[i].end, sizeof(double)) == 0 &&
                      memcmp(&back[i].cores, &t.vms[i].cores, sizeof(double)) == 0,
                      "row %zu: %.17g %.17g", i + 1, back[i].start, t.vms[i].start);
            cr_assert(!memory || back[i].memory == t.vms[i].memory, "row %zu memory", i + 1);
        }
        free(back);
        pn_trace_free(&t);
    }
    remove_tree(dir);
}

/* A small trace written exactly as the header says, by hand. */
Test(trace_generate, csv_text_by_hand)
{
    pn_trace t;
    pn_trace_init(&t);
    pn_error err;
    pn_trace_vm a = {.start = 0.1, .end = 0.1 + 0.2, .cores = 2, .memory = 1.0 / 3};
    pn_trace_vm b = {.start = -21600, .end = 172800, .cores = 0.25, .memory = 0.125};
    cr_assert_eq(pn_trace_append(&t, &a, &err), PN_OK);
    cr_assert_eq(pn_trace_append(&t, &b, &err), PN_OK);
    char dir[64], path[128];
    temp_dir_make(dir, sizeof dir, "trace-csv");
    snprintf(path, sizeof path, "%s/trace.csv", dir);
    cr_assert_eq(pn_trace_write_csv(&t, path, &err), PN_OK, "%s", err.msg);
    char *text = read_text(path);
    cr_expect_str_eq(text, "start,end,cores\n0.1,0.30000000000000004,2\n-21600,172800,0.25\n");
    free(text);
    t.has_memory = true;
    cr_assert_eq(pn_trace_write_csv(&t, path, &err), PN_OK, "%s", err.msg);
    text = read_text(path);
    cr_expect_str_eq(text, "start,end,cores,memory\n0.1,0.30000000000000004,2,0.3333333333333333\n"
                           "-21600,172800,0.25,0.125\n");
    free(text);
    /* a NaN cannot be written: refused, and no file is left */
    unlink(path);
    t.vms[1].end = NAN;
    cr_expect_eq(pn_trace_write_csv(&t, path, &err), PN_ERR_USAGE);
    cr_expect(strstr(err.msg, "VM 2 of the trace holds a number that is not finite"), "%s",
              err.msg);
    cr_expect_neq(access(path, F_OK), 0);
    t.vms[1].end = 1;
    /* a directory, a missing directory: the system's reason, exit 1 */
    cr_expect_eq(pn_trace_write_csv(&t, dir, &err), PN_ERR_IO);
    cr_expect(strstr(err.msg, "Is a directory"), "%s", err.msg);
    snprintf(path, sizeof path, "%s/no/such/trace.csv", dir);
    cr_expect_eq(pn_trace_write_csv(&t, path, &err), PN_ERR_IO);
    cr_expect(strstr(err.msg, "No such file or directory"), "%s", err.msg);
    cr_expect_eq(pn_trace_write_csv(&t, "/dev/full", &err), PN_ERR_IO);
    cr_expect(strstr(err.msg, "No space left on device"), "%s", err.msg);
    pn_trace_free(&t);
    remove_tree(dir);
}

/* "-" is standard input for the VM table (a zcat can feed it; errors name
 * "(standard input)") and standard output for the CSV writer. Criterion
 * runs each test in its own process, so reopening them touches no other. */
Test(trace_generate, dash_is_standard_input_and_output)
{
    char dir[64], in[128], out[128];
    temp_dir_make(dir, sizeof dir, "trace-dash");
    snprintf(in, sizeof in, "%s/vmtable.csv", dir);
    snprintf(out, sizeof out, "%s/out.csv", dir);
    write_text(in, "a,b,c,60,7200,1,1,1,Unknown,4,>64\na,b,c,0.5,,1,1,1,Unknown,>24,2\n");
    cr_assert_not_null(freopen(in, "r", stdin));
    pn_trace t;
    pn_trace_init(&t);
    pn_error err;
    cr_assert_eq(pn_trace_read_azure_vmtable("-", &t, &err), PN_OK, "%s", err.msg);
    cr_assert_eq(t.count, 2);
    cr_assert_not_null(freopen(out, "w", stdout));
    cr_assert_eq(pn_trace_write_csv(&t, "-", &err), PN_OK, "%s", err.msg);
    fflush(stdout);
    char *text = read_text(out);
    cr_expect_str_eq(text, "start,end,cores,memory\n60,7200,4,70\n0.5,7200,30,2\n");
    free(text);
    pn_trace_free(&t);
    write_text(in, "a,b,c,60,7200,1,1,1,Unknown,4\n");
    cr_assert_not_null(freopen(in, "r", stdin));
    cr_expect_eq(pn_trace_read_azure_vmtable("-", &t, &err), PN_ERR_USAGE);
    cr_expect(strstr(err.msg, "(standard input):1:30: 10 columns"), "%s", err.msg);
    remove_tree(dir);
}
