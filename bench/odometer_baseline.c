/* SPDX-License-Identifier: GPL-3.0-or-later */
/* odometer_baseline.c -- the baseline a good C programmer would write: base-(p+1) digits stepped with carry, sum and zeros kept incrementally. */
#include "odometer_baseline.h"

void odometer_baseline(unsigned hosts, unsigned per_host, unsigned guests, uint64_t first,
                       uint64_t count, uint64_t *bins)
{
    unsigned digit[64];
    unsigned sum = 0, zeros = 0;
    uint64_t rest = first;
    for (unsigned i = 0; i < hosts; i++) {
        digit[i] = (unsigned)(rest % (per_host + 1));
        rest /= per_host + 1;
        sum += digit[i];
        zeros += digit[i] == 0;
    }
    for (uint64_t n = 0; n < count; n++) {
        if (sum == guests)
            bins[zeros]++;
        /* step: digits at p wrap to 0 and carry into the next host */
        unsigned i = 0;
        while (i < hosts && digit[i] == per_host) {
            digit[i++] = 0;
            sum -= per_host;
            zeros++;
        }
        if (i == hosts)
            break; /* past the last scenario */
        zeros -= digit[i] == 0;
        digit[i]++;
        sum++;
    }
}
