/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pace.c -- the one chunk pacer the OpenCL device schedule, the checkpoint loop, the MPI coordinator and the simulation launcher share. */
#include "base/pn_pace.h"

double pn_pace_units(const pn_pace *p)
{
    if (p->rate <= 0)
        return p->first < p->least ? p->least : p->first;
    double want = p->rate * p->target;
    /* a chunk grows step by step, so one slow measurement (a cold cache, a
     * busy machine) cannot hand a worker hours of work at once */
    if (p->last > 0 && want > p->growth * p->last)
        want = p->growth * p->last;
    if (p->total_rate > 0) {
        double share = p->left * p->rate / p->total_rate;
        if (want > share) /* the rest shared by speed; a tail not cut finer than it pays */
            want = share > p->rate * p->tail ? share : p->rate * p->tail;
    }
    return want < p->least ? p->least : want;
}
