/* engine_fixture.h -- one bin's probability in percent, for tests that check a single bin. */
#ifndef PN_TEST_ENGINE_FIXTURE_H
#define PN_TEST_ENGINE_FIXTURE_H

#include "question/pn_histogram.h"

/* pn_histogram_percent with the histogram's own total (the library takes
 * the total as an argument so a report sums the bins once, not per bin). */
static inline double bin_percent(const pn_histogram *hist, uint64_t k)
{
    mpz_t total;
    mpz_init(total);
    pn_histogram_total(hist, total);
    double pct = pn_histogram_percent(hist, total, k);
    mpz_clear(total);
    return pct;
}

#endif
