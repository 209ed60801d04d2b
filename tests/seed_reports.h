/* SPDX-License-Identifier: GPL-3.0-or-later */
/* seed_reports.h -- the 2009 tool's reports for the seed's three examples, as the seed post prints them.
 *
 * The blog collapsed runs of spaces; the 2009 tool pads the probability with
 * "%5s", so "[ 5.2%]" in the post is "[  5.2%]" on a terminal and "[ <1%]" is
 * "[   <1%]". Savings use "%.0f" (5/8 = 62.5% prints as 62, as in the post).
 * The last line, the packing bound (h - ceil(g/p) hosts napping), is ours:
 * the 2009 tool did not print it. */
#ifndef PN_TEST_SEED_REPORTS_H
#define PN_TEST_SEED_REPORTS_H

static const char SEED_10_4_20[] =
    "In a cloud with [10] hosts, which can handle [4] guests-per-host, currently running [20] guests,\n"
    "you may expect the following:\n"
    "\n"
    "[  5.2%] likely that [0/10] of your hosts would powernap, for a [0%] power savings\n"
    "[ 27.5%] likely that [1/10] of your hosts would powernap, for a [10%] power savings\n"
    "[ 42.5%] likely that [2/10] of your hosts would powernap, for a [20%] power savings\n"
    "[ 21.8%] likely that [3/10] of your hosts would powernap, for a [30%] power savings\n"
    "[  2.9%] likely that [4/10] of your hosts would powernap, for a [40%] power savings\n"
    "[   <1%] likely that [5/10] of your hosts would powernap, for a [50%] power savings\n"
    "\n"
    "The overall expected value is [19.0%] power savings.\n"
    "With perfect consolidation, [5/10] of your hosts would powernap, for a [50.0%] power savings.\n";

static const char SEED_8_2_4[] =
    "In a cloud with [8] hosts, which can handle [2] guests-per-host, currently running [4] guests,\n"
    "you may expect the following:\n"
    "\n"
    "[ 26.3%] likely that [4/8] of your hosts would powernap, for a [50%] power savings\n"
    "[ 63.2%] likely that [5/8] of your hosts would powernap, for a [62%] power savings\n"
    "[ 10.5%] likely that [6/8] of your hosts would powernap, for a [75%] power savings\n"
    "\n"
    "The overall expected value is [60.5%] power savings.\n"
    "With perfect consolidation, [6/8] of your hosts would powernap, for a [75.0%] power savings.\n";

static const char SEED_4_2_3[] =
    "In a cloud with [4] hosts, which can handle [2] guests-per-host, currently running [3] guests,\n"
    "you may expect the following:\n"
    "\n"
    "[ 25.0%] likely that [1/4] of your hosts would powernap, for a [25%] power savings\n"
    "[ 75.0%] likely that [2/4] of your hosts would powernap, for a [50%] power savings\n"
    "\n"
    "The overall expected value is [43.8%] power savings.\n"
    "With perfect consolidation, [2/4] of your hosts would powernap, for a [50.0%] power savings.\n";

#endif
