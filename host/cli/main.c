/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c -- the powernap_calculator command: options in, pn_command_run's exit status out. */
#include "cli/pn_cli.h"
#include "cli/pn_command.h"

int main(int argc, char **argv)
{
    pn_command_setup();
    pn_options opts;
    pn_error err;
    pn_status st = pn_cli_parse(argc, argv, &opts, &err);
    int rc = st == PN_OK ? pn_command_run(&opts) : pn_command_fail(st, err.msg);
    pn_cli_free(&opts);
    return rc;
}
