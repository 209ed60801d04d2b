/* SPDX-License-Identifier: GPL-3.0-or-later */
/* roofline.c -- this machine's peak for the kernel's inner loop: compare a table of digit sums with one value and count the matches, 8-bit and 32-bit, on every core. */
#include "roofline.h"

#include <pthread.h>
#include <stdint.h>
#include <time.h>

/* The values the table holds and the values looked for: like digit sums,
 * small numbers, most of them present. */
#define VALUES 97
/* Passes between looks at the clock. */
#define PASSES_PER_CHECK 64

typedef uint8_t lanes8 __attribute__((vector_size(64)));
typedef uint32_t lanes32 __attribute__((vector_size(64)));

static _Alignas(64) uint8_t table8[ROOFLINE_TABLE];
static _Alignas(64) uint32_t table32[ROOFLINE_TABLE];
/* count_plain's answer for every value, worked out before the clock starts. */
static uint32_t expect[VALUES];

/* One thread's share: how long to run, and what it did. */
typedef struct worker {
    pthread_t thread;
    unsigned bits;
    double seconds;
    uint64_t passes;
    bool counts_ok;
} worker;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Entries of the byte table equal to need: 64 byte lanes per step, each
 * gaining at most one, added up every 255 steps before any can overflow. */
static uint32_t count8(uint8_t need)
{
    const lanes8 *t = (const lanes8 *)table8;
    const lanes8 want = (lanes8){0} + need;
    const size_t words = ROOFLINE_TABLE / 64;
    uint32_t total = 0;
    for (size_t j = 0; j < words;) {
        size_t stop = words - j > 255 ? j + 255 : words;
        lanes8 lanes = {0};
        for (; j < stop; j++)
            lanes -= (lanes8)(t[j] == want);
        for (int k = 0; k < 64; k++)
            total += lanes[k];
    }
    return total;
}

/* Entries of the 32-bit table equal to need: 16 lanes per step. */
static uint32_t count32(uint32_t need)
{
    const lanes32 *t = (const lanes32 *)table32;
    const lanes32 want = (lanes32){0} + need;
    lanes32 lanes = {0};
    for (size_t j = 0; j < ROOFLINE_TABLE / 16; j++)
        lanes -= (lanes32)(t[j] == want);
    uint32_t total = 0;
    for (int k = 0; k < 16; k++)
        total += lanes[k];
    return total;
}

/* The same count, one entry at a time, to check the vector loops. */
static uint32_t count_plain(unsigned bits, uint32_t need)
{
    uint32_t total = 0;
    for (size_t j = 0; j < ROOFLINE_TABLE; j++)
        total += (bits == 8 ? table8[j] : table32[j]) == need;
    return total;
}

static void *run_worker(void *arg)
{
    worker *w = arg;
    double end = now_seconds() + w->seconds;
    uint64_t p = 0;
    bool ok = true;
    do {
        for (int i = 0; i < PASSES_PER_CHECK; i++, p++) {
            uint32_t need = (uint32_t)(p % VALUES);
            uint32_t got = w->bits == 8 ? count8((uint8_t)need) : count32(need);
            ok = ok && got == expect[need];
        }
    } while (now_seconds() < end);
    w->passes = p;
    w->counts_ok = ok;
    return NULL;
}

/* Fills both tables with the same pseudo-random values below VALUES. */
static void fill_tables(void)
{
    uint64_t x = 0x9e3779b97f4a7c15ULL;
    for (size_t j = 0; j < ROOFLINE_TABLE; j++) {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        table8[j] = (uint8_t)((x * 2685821657736338717ULL >> 33) % VALUES);
        table32[j] = table8[j];
    }
}

bool roofline_measure(unsigned bits, unsigned threads, double seconds, double *rate)
{
    enum { MAX_THREADS = 256 };
    static worker w[MAX_THREADS];
    *rate = 0;
    if ((bits != 8 && bits != 32) || threads == 0 || threads > MAX_THREADS)
        return false;
    fill_tables();
    for (uint32_t v = 0; v < VALUES; v++)
        expect[v] = count_plain(bits, v);
    double t0 = now_seconds();
    unsigned started = 0;
    for (; started < threads; started++) {
        w[started] = (worker){.bits = bits, .seconds = seconds};
        if (pthread_create(&w[started].thread, NULL, run_worker, &w[started]) != 0)
            break;
    }
    uint64_t passes = 0;
    bool ok = started == threads;
    for (unsigned i = 0; i < started; i++) {
        pthread_join(w[i].thread, NULL);
        passes += w[i].passes;
        ok = ok && w[i].counts_ok;
    }
    double took = now_seconds() - t0;
    if (ok)
        *rate = (double)passes * ROOFLINE_TABLE / took;
    return ok;
}
