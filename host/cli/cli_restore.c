/* cli_restore.c -- --restore against the question options typed beside it: agreeing ones pass, others are refused. */
#include "cli/pn_cli.h"
#include "cli_parse.h"
#include "slice/pn_checkpoint.h"

/* One conflict: the option was typed and says something else than the ledger. */
static pn_status conflict(const char *option, uint64_t typed, uint64_t ledger, const char *path,
                          pn_error *err)
{
    return pn_fail(err, PN_ERR_USAGE, "%s %llu conflicts with the ledger %s, whose run has %llu; "
                                      "leave it out to continue that run",
                   option, (unsigned long long)typed, path, (unsigned long long)ledger);
}

pn_status pn_cli_check_restore(const pn_options *opts, const pn_query *ledger, pn_error *err)
{
    const pn_query *q = &opts->query;
    const char *path = opts->restore;
    if ((opts->given & PN_GIVEN_HOSTS) && q->hosts != ledger->hosts)
        return conflict("--hosts", q->hosts, ledger->hosts, path, err);
    if ((opts->given & PN_GIVEN_PER_HOST) && q->per_host != ledger->per_host)
        return conflict("--guests-per-host", q->per_host, ledger->per_host, path, err);
    if ((opts->given & PN_GIVEN_GUESTS) && q->guests != ledger->guests)
        return conflict("--guests", q->guests, ledger->guests, path, err);
    if ((opts->given & PN_GIVEN_SKIP) && q->skip != ledger->first)
        return conflict("--skip", q->skip, ledger->first, path, err);
    if ((opts->given & PN_GIVEN_LIMIT) && q->limit != ledger->count)
        return conflict("--limit", q->limit, ledger->count, path, err);
    if ((opts->given & PN_GIVEN_MODEL) && q->model != ledger->model)
        return pn_fail(err, PN_ERR_USAGE, "--model %s conflicts with the ledger %s, whose run "
                                          "has the %s model; leave it out to continue that run",
                       pn_model_name(q->model), path, pn_model_name(ledger->model));
    return PN_OK;
}

/* --checkpoint, --checkpoint-every and --restore: what goes with what. With
 * --restore the question comes from the ledger; the options that state it
 * are remembered in opts->given so main() can refuse those that conflict. */
pn_status pn_cli_check_long_run(pn_options *opts, const parse_state *st, pn_error *err)
{
    if (!opts->checkpoint && !opts->restore) {
        if (st->have_every)
            return pn_fail(err, PN_ERR_USAGE, "--checkpoint-every needs --checkpoint FILE");
        return PN_OK;
    }
    const char *which = opts->restore ? "--restore" : "--checkpoint";
    if (opts->simulate)
        return pn_fail(err, PN_ERR_USAGE, "%s keeps the ledger of an enumeration; --simulate "
                                          "does not enumerate", which);
    if (opts->fleet || opts->sweep || opts->load_curve)
        return pn_fail(err, PN_ERR_USAGE, "%s keeps the ledger of one homogeneous question; "
                                          "--fleet, -g all|FROM:TO and --load-curve do not have "
                                          "one yet", which);
    if (opts->checkpoint && opts->restore)
        return pn_fail(err, PN_ERR_USAGE, "--restore keeps its ledger up to date itself; "
                                          "--checkpoint names a new one: give one of them");
    if (opts->action != PN_ACTION_REPORT || opts->verify)
        return pn_fail(err, PN_ERR_USAGE, "%s goes with a run that answers a question, not "
                                          "with --keyspace or --verify", which);
    if (opts->engine == PN_ENGINE_EXACT)
        return pn_fail(err, PN_ERR_USAGE, "%s keeps the ledger of an enumeration; --engine "
                                          "exact does not enumerate", which);
    if (!opts->checkpoint_every)
        opts->checkpoint_every = PN_CHECKPOINT_EVERY;
    opts->given = (st->have_hosts ? PN_GIVEN_HOSTS : 0) |
                  (st->have_per_host ? PN_GIVEN_PER_HOST : 0) |
                  (st->have_guests ? PN_GIVEN_GUESTS : 0) | (st->have_model ? PN_GIVEN_MODEL : 0) |
                  (st->have_skip ? PN_GIVEN_SKIP : 0) | (st->have_limit ? PN_GIVEN_LIMIT : 0);
    return opts->restore ? pn_cost_validate(&opts->cost, err) : PN_OK;
}

