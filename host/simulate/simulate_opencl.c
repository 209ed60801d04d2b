/* SPDX-License-Identifier: GPL-3.0-or-later */
/* simulate_opencl.c -- the OpenCL engine of the scheduler simulation: one trajectory per work-item, timed chunks that never straddle a batch, over one device or several. */
#include "simulate/pn_simulate.h"
#include "base/pn_duration.h"
#include "base/pn_pace.h"
#include "opencl/pn_kernel_source.h"
#include "opencl/pn_opencl_build.h"
#include "opencl/pn_opencl_context.h"
#include "opencl/pn_opencl_device.h"
#include "opencl/pn_opencl_error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Seconds one launch should take: short for GPU watchdogs and Ctrl-C. */
#define TARGET_SECONDS 0.1
/* Ticks in a device's first launch, before it has been timed. */
#define FIRST_CHUNK_TICKS (1u << 22)
/* A chunk grows at most this factor per launch while rates settle. */
#define MAX_GROWTH 4.0
/* Work-items per work-group unless the caller asks otherwise. */
#define DEFAULT_GROUP 64

/* The simulate kernel's arguments, in order. */
enum sim_arg {
    ARG_OFFSET, ARG_UNITS, ARG_STARTS, ARG_SEED, ARG_BURN_IN, ARG_TICKS, ARG_HOSTS,
    ARG_PER_HOST, ARG_ARRIVE, ARG_OBSERVE, ARG_POLICY, ARG_OUT, ARG_HIST
};

/* One device: its queue (the context's), kernel and counts, and how its
 * chunks go. */
typedef struct worker {
    cl_command_queue queue;
    cl_kernel kernel;
    cl_mem out;            /* batches x stride counters for the bound query */
    size_t group;
    double rate;           /* trajectories per second, 0 until timed */
    uint64_t last_units;   /* window width of the previous chunk */
    bool running;
    cl_event done;
    uint64_t units;        /* window width of the running chunk */
    uint64_t trajectories; /* trajectories in it */
    double started;
    uint64_t ticks_done;
    double busy;
} worker;

/* A context on the chosen devices with the kernel built. */
typedef struct sim_cl {
    pn_cl_context cl; /* devices, context, a queue per device */
    cl_program program;
    unsigned hosts_cap;
    worker w[PN_CL_MAX_DEVICES];
} sim_cl;

/* One query run over devices [from, to). A chunk is a window of
 * trajectory numbers within every batch at once, [offset, offset + units)
 * of each: a launch spans all batches (dimension 1), so even a small run
 * has work-groups for every compute unit, and each work-group stays in one
 * batch. */
typedef struct pass {
    sim_cl *s;
    const pn_sim_query *q;
    unsigned from, to;
    const pn_progress *progress;
    size_t stride;
    cl_mem starts;         /* batches + 1 first trajectories, the last = trajectories */
    uint64_t widest;       /* trajectories in the largest batch */
    uint64_t offset;       /* the window handed out next starts here */
    uint64_t per;          /* ticks per trajectory */
    uint64_t done, total;  /* ticks */
    double started;
} pass;

/* ---- the context -------------------------------------------------------- */

/* Room per work-item: the smallest of 16, 64, 256, 1024 that holds hosts,
 * so clouds of similar size share one build. */
static unsigned hosts_cap(uint64_t hosts)
{
    unsigned cap = 16;
    while (cap < hosts)
        cap *= 4;
    return cap;
}

static void close_cl(sim_cl *s)
{
    pn_status st = PN_OK;
    pn_error ignored;
    for (cl_uint d = 0; d < s->cl.sel.count; d++) {
        worker *w = &s->w[d];
        if (w->running)
            PN_CL_CHECK_CLEANUP(clWaitForEvents(1, &w->done), st, &ignored);
        if (w->running)
            PN_CL_CHECK_CLEANUP(clReleaseEvent(w->done), st, &ignored);
        if (w->out)
            PN_CL_CHECK_CLEANUP(clReleaseMemObject(w->out), st, &ignored);
        if (w->kernel)
            PN_CL_CHECK_CLEANUP(clReleaseKernel(w->kernel), st, &ignored);
    }
    if (s->program)
        PN_CL_CHECK_CLEANUP(clReleaseProgram(s->program), st, &ignored);
    pn_cl_context_close(&s->cl, &st, &ignored);
}

/* Context and queues (every device with 64-bit atomics), the program
 * (Random123 is inlined in its source) and each device's kernel. */
static pn_status open_cl(sim_cl *s, const pn_device_choice *choice, uint64_t hosts, pn_error *err)
{
    cl_int rc = CL_SUCCESS;
    pn_status st = pn_cl_context_open(&s->cl, choice, 0, "the simulation kernel", err);
    if (st != PN_OK)
        return st;
    char options[512];
    s->hosts_cap = hosts_cap(hosts);
    snprintf(options, sizeof options, "-D HOSTS_CAP=%u", s->hosts_cap);
    st = pn_cl_build_program(s->cl.context, s->cl.sel.count, s->cl.sel.devices,
                             pn_simulate_kernel_source, options, &s->program, err);
    for (cl_uint d = 0; st == PN_OK && d < s->cl.sel.count; d++) {
        s->w[d].queue = s->cl.queue[d];
        s->w[d].kernel = clCreateKernel(s->program, "simulate", &rc);
        PN_CL_CHECK(rc, st, err, done);
    }
done:
    return st;
}

/* ---- one query on the devices ------------------------------------------ */

/* The work-group size for device d: `group` when given (it must suit the
 * kernel), else DEFAULT_GROUP within the kernel's limit. */
static pn_status choose_group(sim_cl *s, cl_uint d, size_t group, pn_error *err)
{
    pn_status st = PN_OK;
    size_t most = 1;
    PN_CL_CHECK(clGetKernelWorkGroupInfo(s->w[d].kernel, s->cl.sel.devices[d],
                                         CL_KERNEL_WORK_GROUP_SIZE, sizeof most, &most, NULL),
                st, err, done);
    if (group > most)
        return pn_fail(err, PN_ERR_OPENCL, "a work-group of %zu is more than the %zu the "
                       "simulation kernel allows on %s", group, most, s->cl.sel.device_names[d]);
    s->w[d].group = group ? group : (most < DEFAULT_GROUP ? most : DEFAULT_GROUP);
done:
    return st;
}

/* Device d's zeroed counters for q and the kernel's fixed arguments. */
static pn_status bind(pass *ps, cl_uint d, size_t group, pn_error *err)
{
    pn_status st = PN_OK;
    cl_int rc = CL_SUCCESS;
    const pn_sim_query *q = ps->q;
    worker *w = &ps->s->w[d];
    cl_ulong zero = 0;
    cl_uint hosts = (cl_uint)q->hosts, per_host = (cl_uint)q->per_host;
    cl_uint policy = (cl_uint)q->policy;
    size_t bytes = ps->stride * q->batches * sizeof(cl_ulong);
    w->out = clCreateBuffer(ps->s->cl.context, CL_MEM_READ_WRITE, bytes, NULL, &rc);
    PN_CL_CHECK(rc, st, err, done);
    PN_CL_CHECK(clEnqueueFillBuffer(w->queue, w->out, &zero, sizeof zero, 0, bytes, 0, NULL,
                                    NULL), st, err, done);
    cl_kernel k = w->kernel;
    PN_CL_CHECK(clSetKernelArg(k, ARG_SEED, sizeof(cl_ulong), &q->seed), st, err, done);
    PN_CL_CHECK(clSetKernelArg(k, ARG_BURN_IN, sizeof(cl_ulong), &q->burn_in), st, err, done);
    PN_CL_CHECK(clSetKernelArg(k, ARG_TICKS, sizeof(cl_ulong), &q->ticks), st, err, done);
    PN_CL_CHECK(clSetKernelArg(k, ARG_HOSTS, sizeof hosts, &hosts), st, err, done);
    PN_CL_CHECK(clSetKernelArg(k, ARG_PER_HOST, sizeof per_host, &per_host), st, err, done);
    PN_CL_CHECK(clSetKernelArg(k, ARG_ARRIVE, sizeof(cl_uint), &q->arrive), st, err, done);
    PN_CL_CHECK(clSetKernelArg(k, ARG_OBSERVE, sizeof(cl_uint), &q->observe), st, err, done);
    PN_CL_CHECK(clSetKernelArg(k, ARG_POLICY, sizeof policy, &policy), st, err, done);
    PN_CL_CHECK(clSetKernelArg(k, ARG_OUT, sizeof w->out, &w->out), st, err, done);
    PN_CL_CHECK(clSetKernelArg(k, ARG_STARTS, sizeof ps->starts, &ps->starts), st, err, done);
    PN_CL_CHECK(clSetKernelArg(k, ARG_HIST, ps->stride * sizeof(cl_ulong), NULL), st, err, done);
    st = choose_group(ps->s, d, group, err);
    w->rate = 0;
    w->last_units = w->ticks_done = 0;
    w->busy = 0;
done:
    return st;
}

/* Width of w's next window: TARGET_SECONDS at its measured rate (growing at
 * most MAX_GROWTH per chunk), its share of the rest by speed when several
 * devices run, at least one trajectory per batch, within the batches. */
static uint64_t chunk_units(const pass *ps, const worker *w)
{
    double batches = (double)ps->q->batches, total_rate = 0;
    for (unsigned d = ps->from; ps->to - ps->from > 1 && d < ps->to; d++)
        total_rate += ps->s->w[d].rate;
    const pn_pace pace = {.rate = w->rate / batches,
                          .first = (double)FIRST_CHUNK_TICKS / (double)ps->per / batches,
                          .target = TARGET_SECONDS,
                          .last = (double)w->last_units,
                          .growth = MAX_GROWTH,
                          .left = (double)(ps->widest - ps->offset),
                          .total_rate = total_rate / batches,
                          .least = 1};
    double want = pn_pace_units(&pace);
    if (want > 4294967295.0 - (double)w->group)
        want = 4294967295.0 - (double)w->group;
    uint64_t units = (uint64_t)want;
    return units < ps->widest - ps->offset ? units : ps->widest - ps->offset;
}

/* Trajectories in the window [offset, offset + units) of every batch. */
static uint64_t window_trajectories(const pn_sim_query *q, uint64_t offset, uint64_t units)
{
    uint64_t n = 0;
    for (unsigned b = 0; b < q->batches; b++) {
        uint64_t first, count;
        pn_sim_batch_range(q, b, &first, &count);
        if (count > offset)
            n += count - offset < units ? count - offset : units;
    }
    return n;
}

/* Launches w's next window; *launched false when every trajectory is handed out. */
static pn_status launch_next(pass *ps, worker *w, bool *launched, pn_error *err)
{
    pn_status st = PN_OK;
    *launched = false;
    if (ps->offset >= ps->widest)
        return PN_OK;
    cl_ulong offset = ps->offset;
    w->units = chunk_units(ps, w);
    w->trajectories = window_trajectories(ps->q, ps->offset, w->units);
    ps->offset += w->units;
    cl_uint units = (cl_uint)w->units;
    size_t global[2] = {(size_t)((w->units + w->group - 1) / w->group * w->group),
                        ps->q->batches};
    size_t local[2] = {w->group, 1};
    PN_CL_CHECK(clSetKernelArg(w->kernel, ARG_OFFSET, sizeof offset, &offset), st, err, done);
    PN_CL_CHECK(clSetKernelArg(w->kernel, ARG_UNITS, sizeof units, &units), st, err, done);
    PN_CL_CHECK(clEnqueueNDRangeKernel(w->queue, w->kernel, 2, NULL, global, local, 0, NULL,
                                       &w->done), st, err, done);
    PN_CL_CHECK(clFlush(w->queue), st, err, release_event);
    w->started = pn_now_seconds();
    w->running = true;
    *launched = true;
    return PN_OK;
release_event:
    PN_CL_CHECK_CLEANUP(clReleaseEvent(w->done), st, err);
done:
    return st;
}

/* Checks whether w's chunk has ended (waiting for it when `wait`), and books it. */
static pn_status poll_worker(pass *ps, worker *w, bool wait, bool *finished, pn_error *err)
{
    pn_status st = PN_OK;
    cl_int status = CL_QUEUED;
    *finished = false;
    if (wait)
        PN_CL_CHECK(clWaitForEvents(1, &w->done), st, err, done);
    PN_CL_CHECK(clGetEventInfo(w->done, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof status,
                               &status, NULL), st, err, done);
    if (status < 0)
        return pn_cl_fail(err, "clEnqueueNDRangeKernel (the simulation's execution)", __FILE__,
                          __LINE__, status);
    if (status != CL_COMPLETE)
        return PN_OK;
    double took = pn_now_seconds() - w->started;
    took = took < 1e-6 ? 1e-6 : took;
    w->rate = (double)w->trajectories / took;
    w->last_units = w->units;
    w->ticks_done += w->trajectories * ps->per;
    w->busy += took;
    ps->done += w->trajectories * ps->per;
    w->running = false;
    *finished = true;
    PN_CL_CHECK(clReleaseEvent(w->done), st, err, done);
done:
    return st;
}

static void report_progress(const pass *ps)
{
    if (!ps->progress || !ps->progress->update)
        return;
    pn_progress_report r = {.unit = "ticks", .done = ps->done, .total = ps->total,
                            .devices = ps->to - ps->from};
    r.rate = (double)ps->done / (pn_now_seconds() - ps->started + 1e-9);
    for (unsigned d = ps->from; d < ps->to; d++) {
        const worker *w = &ps->s->w[d];
        r.device_rate[d - ps->from] = w->busy > 0 ? (double)w->ticks_done / w->busy : 0;
    }
    ps->progress->update(ps->progress->ctx, &r);
}

static bool cancelled(const pass *ps)
{
    return ps->progress && ps->progress->cancel && *ps->progress->cancel;
}

static unsigned running(const pass *ps)
{
    unsigned n = 0;
    for (unsigned d = ps->from; d < ps->to; d++)
        n += ps->s->w[d].running;
    return n;
}

/* One round: idle devices take chunks, finished chunks are booked (blocking
 * when only one runs). */
static pn_status round_once(pass *ps, pn_error *err)
{
    pn_status st = PN_OK;
    bool any = false, stop = cancelled(ps);
    for (unsigned d = ps->from; st == PN_OK && !stop && d < ps->to; d++)
        if (!ps->s->w[d].running)
            st = launch_next(ps, &ps->s->w[d], &any, err);
    bool wait = running(ps) == 1;
    for (unsigned d = ps->from; st == PN_OK && d < ps->to; d++) {
        bool finished = false;
        if (ps->s->w[d].running)
            st = poll_worker(ps, &ps->s->w[d], wait, &finished, err);
        if (finished)
            report_progress(ps);
        any = any || finished;
    }
    if (st == PN_OK && !any && running(ps) > 0)
        nanosleep(&(struct timespec){0, 200000}, NULL);
    return st;
}

/* Reads every device's counters into r and releases them. */
static pn_status collect(pass *ps, pn_sim_result *r, pn_error *err)
{
    pn_status st = PN_OK;
    size_t n = ps->stride * ps->q->batches;
    uint64_t *scratch = malloc(n * sizeof *scratch);
    if (!scratch)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory reading the simulation's counts");
    for (unsigned d = ps->from; d < ps->to; d++) {
        PN_CL_CHECK(clEnqueueReadBuffer(ps->s->w[d].queue, ps->s->w[d].out, CL_TRUE, 0,
                                        n * sizeof *scratch, scratch, 0, NULL, NULL), st, err,
                    done);
        for (size_t i = 0; i < n; i++)
            r->cells[i] += scratch[i];
    }
done:
    free(scratch);
    return st;
}

/* The batches' first trajectories (and the total after the last) in a
 * buffer every device reads, and the largest batch. */
static pn_status make_starts(pass *ps, pn_error *err)
{
    pn_status st = PN_OK;
    cl_int rc = CL_SUCCESS;
    cl_ulong starts[PN_SIM_BATCHES + 1];
    for (unsigned b = 0; b < ps->q->batches; b++) {
        uint64_t first, count;
        pn_sim_batch_range(ps->q, b, &first, &count);
        starts[b] = first;
        ps->widest = count > ps->widest ? count : ps->widest;
    }
    starts[ps->q->batches] = ps->q->trajectories;
    ps->starts = clCreateBuffer(ps->s->cl.context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                                (ps->q->batches + 1) * sizeof *starts, starts, &rc);
    PN_CL_CHECK(rc, st, err, done);
done:
    return st;
}

/* Waits for running chunks and frees the query's counters. */
static void unbind(pass *ps, pn_status *st, pn_error *err)
{
    for (unsigned d = ps->from; d < ps->to; d++) {
        worker *w = &ps->s->w[d];
        if (w->running) {
            PN_CL_CHECK_CLEANUP(clWaitForEvents(1, &w->done), *st, err);
            PN_CL_CHECK_CLEANUP(clReleaseEvent(w->done), *st, err);
            w->running = false;
        }
        if (w->out)
            PN_CL_CHECK_CLEANUP(clReleaseMemObject(w->out), *st, err);
        w->out = NULL;
    }
    if (ps->starts)
        PN_CL_CHECK_CLEANUP(clReleaseMemObject(ps->starts), *st, err);
    ps->starts = NULL;
}

/* Runs every trajectory of q on devices [from, to) and adds the counts into r. */
static pn_status run_pass(sim_cl *s, const pn_sim_query *q, unsigned from, unsigned to,
                          size_t group, const pn_progress *progress, pn_sim_result *r,
                          pn_error *err)
{
    pass ps = {.s = s, .q = q, .from = from, .to = to, .progress = progress,
               .stride = r->stride, .per = q->burn_in + q->ticks,
               .started = pn_now_seconds()};
    ps.total = q->trajectories * ps.per;
    pn_status st = make_starts(&ps, err);
    for (unsigned d = from; st == PN_OK && d < to; d++)
        st = bind(&ps, d, group, err);
    /* a first report at 0: a chunk can outlast the grace after a Ctrl-C,
     * and the note then still names the total */
    if (st == PN_OK)
        report_progress(&ps);
    while (st == PN_OK && (ps.offset < ps.widest || running(&ps) > 0)) {
        if (cancelled(&ps) && running(&ps) == 0)
            break;
        st = round_once(&ps, err);
    }
    if (st == PN_OK && ps.done < ps.total)
        st = pn_sim_interrupted(ps.done, ps.total, err);
    if (st == PN_OK)
        st = collect(&ps, r, err);
    unbind(&ps, &st, err);
    return st;
}

/* ---- self-test ----------------------------------------------------------- */

/* A small cloud of the query's policy, run on device d alone and by the cpu
 * engine: the counts must be identical. */
static pn_status selftest(sim_cl *s, const pn_sim_query *real, unsigned d, pn_error *err)
{
    pn_sim_query q = {.hosts = 5, .per_host = 3, .has_guests = true, .guests = 7,
                      .has_load = true, .load = 6.5, .policy = real->policy,
                      .has_trajectories = true, .trajectories = 6, .has_ticks = true,
                      .ticks = 400, .has_burn_in = true, .burn_in = 25, .seed = 123456789};
    pn_sim_result cl = {0}, cpu = {0};
    pn_run quiet = {0};
    pn_status st = pn_sim_query_resolve(&q, err);
    if (st == PN_OK)
        st = pn_sim_result_init(&cl, &q, err);
    if (st == PN_OK)
        st = pn_sim_result_init(&cpu, &q, err);
    if (st == PN_OK)
        st = run_pass(s, &q, d, d + 1, 0, NULL, &cl, err);
    if (st == PN_OK)
        st = pn_sim_cpu_run(&q, &quiet, &cpu, err);
    if (st == PN_OK && !pn_sim_result_equal(&cl, &cpu))
        st = pn_fail(err, PN_ERR_SELFTEST, "OpenCL device %s failed the simulation self-test "
                     "(5 hosts x 3, %s): its counts differ from the cpu engine's; the driver "
                     "installation is probably broken, use --engine cpu",
                     s->cl.sel.device_names[d], pn_policy_name(q.policy));
    pn_sim_result_clear(&cl);
    pn_sim_result_clear(&cpu);
    return st;
}

pn_status pn_sim_opencl_run(const pn_sim_query *q, pn_run *run, size_t group,
                            pn_sim_result *r, pn_error *err)
{
    if (!q->resolved)
        return pn_fail(err, PN_ERR_USAGE, "internal: simulation query not resolved");
    sim_cl *s = calloc(1, sizeof *s);
    if (!s)
        return pn_fail(err, PN_ERR_NOMEM, "out of memory for an OpenCL simulation");
    pn_status st = open_cl(s, &run->device, q->hosts, err);
    for (unsigned d = 0; st == PN_OK && d < s->cl.sel.count; d++)
        st = selftest(s, q, d, err);
    if (st == PN_OK)
        st = run_pass(s, q, 0, s->cl.sel.count, group, &run->progress, r, err);
    if (st == PN_OK)
        pn_cl_selection_describe(&s->cl.sel, run->engine_used, sizeof run->engine_used);
    close_cl(s);
    free(s);
    return st;
}
