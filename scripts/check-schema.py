#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# check-schema.py -- runs the tool for every kind of JSON document it writes and validates each against doc/powernap_calculator.schema.json, and checks the CSV cost columns carry the JSON cost object's names.
import json
import os
import subprocess
import sys
import tempfile

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "..", "doc", "powernap_calculator.schema.json")


def run(binary, args, stdin=None):
    """The tool's stdout for args; fails the check on a non-zero exit."""
    p = subprocess.run([binary] + args + ["-q"], input=stdin, capture_output=True, text=True,
                       timeout=300)
    if p.returncode != 0:
        sys.exit("check-schema: %s %s: exit %d: %s" % (binary, " ".join(args), p.returncode,
                                                      p.stderr))
    return p.stdout


def validator(schema, kind):
    """A validator of schema's $defs[kind] (the root for kind None)."""
    sub = dict(schema)
    if kind:
        sub = {"$schema": schema["$schema"], "$defs": schema["$defs"],
               "$ref": "#/$defs/" + kind}
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(sub)


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "powernap_calculator")
    schema = json.load(open(SCHEMA))
    tmp = tempfile.mkdtemp(prefix="pn-schema-")
    curve = os.path.join(tmp, "day.csv")
    with open(curve, "w") as f:
        f.write("hours,guests\n8,2\n12,3\n4,5\n")
    cost = ["--watts", "100", "--idle-watts", "5", "--price", "0.12", "--currency", "EUR"]
    cpu = ["-e", "cpu", "-f", "json"]
    slice_a, slice_b = os.path.join(tmp, "a.json"), os.path.join(tmp, "b.json")
    for path, skip, limit in ((slice_a, "0", "41"), (slice_b, "41", "40")):  # 3^4 = 81
        with open(path, "w") as f:
            f.write(run(binary, ["-h", "4", "-p", "2", "-g", "3", "--skip", skip, "--limit",
                                 limit] + cpu))
    docs = [
        ("report", ["-h", "4", "-p", "2", "-g", "3"] + cpu),
        ("report", ["-h", "4", "-p", "2", "-g", "3", "-e", "exact", "-f", "json", "-m", "slots"]
         + cost),
        ("report", ["--fleet", "2x2@100,1x3@50", "-g", "3", "--price", "0.1"] + cpu),
        ("report", ["--fleet", "2x2,1x3", "-g", "3"] + cpu + cost),
        ("report", ["-h", "4", "-p", "2", "-g", "3", "--skip", "0", "--limit", "10"] + cpu),
        ("report", ["--fleet", "2x2,1x3", "-g", "3", "--skip", "5", "--limit", "10"] + cpu),
        ("report", ["merge", slice_a, slice_b, "-f", "json"] + cost),
        ("sweep", ["-h", "4", "-p", "2", "-g", "all"] + cpu),
        ("sweep", ["--fleet", "2x2@100,1x3@50", "-g", "1:4", "--price", "0.1"] + cpu),
        ("load_curve_report", ["-h", "4", "-p", "2", "--load-curve", curve] + cpu + cost),
        ("load_curve_report", ["-h", "4", "-p", "2", "--load-curve", curve] + cpu),
        ("simulation", ["-h", "4", "-p", "2", "-g", "3", "--simulate", "first-fit",
                        "--trajectories", "4", "--ticks", "100"] + cpu + cost),
        ("simulation", ["-h", "4", "-p", "2", "--load", "2", "--simulate", "random",
                        "--trajectories", "4", "--ticks", "100"] + cpu),
    ]
    for i, (kind, args) in enumerate(docs):
        doc = json.loads(run(binary, args))
        validator(schema, kind).validate(doc)
        validator(schema, None).validate(doc)
    ledgers = [["-h", "6", "-p", "3", "-g", "7"], ["-h", "4", "-p", "2", "-g", "all"],
               ["--fleet", "2x2@100,1x3@50", "--load-curve", curve]]
    for i, args in enumerate(ledgers):
        path = os.path.join(tmp, "ledger%d.json" % i)
        run(binary, args + ["-e", "cpu", "--checkpoint", path])
        doc = json.load(open(path))
        validator(schema, "ledger").validate(doc)
        run(binary, ["--restore", path, "-e", "cpu"])  # reads back what it wrote
    long_count = "1" + "0" * 4000
    validator(schema, None)  # the schema itself is valid
    jsonschema.validate(long_count, {"$defs": schema["$defs"], "$ref": "#/$defs/count"})
    # every CSV that has a cost has the JSON cost object's members, in order
    cost_names = schema["$defs"]["cost"]["required"]
    for args in (["-h", "4", "-p", "2", "-g", "3"], ["-h", "4", "-p", "2", "-g", "all"],
                 ["-h", "4", "-p", "2", "--load-curve", curve],
                 ["-h", "4", "-p", "2", "-g", "3", "--simulate", "first-fit",
                  "--trajectories", "4", "--ticks", "100"]):
        header = run(binary, args + ["-e", "cpu", "-f", "csv"] + cost).split("\n")[0]
        if header.split(",")[-len(cost_names):] != cost_names:
            sys.exit("check-schema: %s: the CSV's cost columns are %s" % (" ".join(args), header))
    subprocess.run(["rm", "-rf", tmp])
    print("check-schema: %d documents and %d ledgers match %s" % (len(docs), len(ledgers),
                                                                  os.path.basename(SCHEMA)))


if __name__ == "__main__":
    main()
