/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_pace.c -- the one chunk pacer (base/pace.c), on values worked by hand. */
#include <criterion/criterion.h>

#include "base/pn_pace.h"

/* Before a rate is known a chunk is `first` (never below `least`). */
Test(pace, first_chunk_before_any_rate)
{
    cr_assert_float_eq(pn_pace_units(&(pn_pace){.first = 1e6, .target = 2}), 1e6, 1e-9);
    cr_assert_float_eq(pn_pace_units(&(pn_pace){.first = 3, .least = 64}), 64, 1e-9);
}

/* 5e8 units/s for 2 s is 1e9, but the last chunk was 1e8 and growth 4 caps it at 4e8. */
Test(pace, growth_caps_a_fast_worker)
{
    pn_pace p = {.rate = 5e8, .target = 2, .last = 1e8, .growth = 4, .first = 1};
    cr_assert_float_eq(pn_pace_units(&p), 4e8, 1e-3);
    p.last = 1e9; /* 4e9 allowed: the target rules, 1e9 */
    cr_assert_float_eq(pn_pace_units(&p), 1e9, 1e-3);
}

/* Two workers at 3 and 1 units/s with 100 units left: the fast one takes
 * at most 75 (its share by speed), even when its target asks for 300. */
Test(pace, share_by_speed_near_the_end)
{
    pn_pace p = {.rate = 3, .target = 100, .growth = 1e9, .last = 1e9, .left = 100,
                 .total_rate = 4};
    cr_assert_float_eq(pn_pace_units(&p), 75, 1e-9);
    p.tail = 50; /* but never below 50 s of its own work: 150 */
    cr_assert_float_eq(pn_pace_units(&p), 150, 1e-9);
    p.total_rate = 0; /* one worker: no share, the target's 300 */
    cr_assert_float_eq(pn_pace_units(&p), 300, 1e-9);
}
