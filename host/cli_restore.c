/* cli_restore.c -- --restore against the question options typed beside it: agreeing ones pass, others are refused. */
#include "pn_cli.h"

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
