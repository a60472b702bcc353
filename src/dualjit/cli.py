"""The ``dualjit`` command line: ``dualjit demo``, ``dualjit rules``, ``dualjit conventions``,
``dualjit certify`` and ``dualjit validate``."""
from __future__ import annotations

import argparse
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="dualjit", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help="differentiate classic functions next to an mpmath reference")
    sub.add_parser("rules", help="print the rule list (the text of docs/rules.md)")
    sub.add_parser("conventions", help="print the conventions (the text of docs/conventions.md)")
    cert = sub.add_parser(
        "certify", help="certify the rules against the mpmath oracle and write reports",
        description="Evaluate rules through the engine on deterministic sample points, score "
                    "value, f' and f'' against the mpmath oracle, and write report.json, "
                    "report.md and report.html. Exits 1 if any rule misses a budget. "
                    "Finished oracle chunks are kept under OUT/oracle: a rerun resumes.")
    cert.add_argument("--rules", metavar="NAMES", default=None,
                      help="comma-separated rule names (default: all rules)")
    cert.add_argument("--profile", choices=("quick", "medium", "thorough"), default="quick",
                      help="quick: a few hundred points per rule; medium: 10^4; thorough: "
                           "10^6 (default: quick)")
    cert.add_argument("--import", dest="imports", metavar="MODULE", action="append",
                      default=[], help="import MODULE first (it registers custom rules with "
                                       "dualjit.rule; name them in --rules); repeatable")
    cert.add_argument("--out", metavar="DIR", default="certification",
                      help="output directory (default: ./certification)")
    cert.add_argument("--workers", metavar="N", type=int, default=2,
                      help="worker processes for the oracle and the compilation (default: 2; "
                           "0 runs everything in this process)")
    cert.add_argument("--no-progress", action="store_true", help="no progress bars")
    val = sub.add_parser(
        "validate", help="property-based validation: random programs against the oracle",
        description="Generate random programs over the rule table, compile them with Numba and "
                    "check properties (value exactness, NaN propagation, Dual/vector "
                    "Dual/HyperDual agreement, derivatives against the mpmath oracle within a "
                    "conditioning-aware budget, jvp linearity, Hessian symmetry). Writes "
                    "OUT/summary.md and OUT/summary.json with a runnable reproducer per "
                    "failure. Finished batches are kept under OUT/batches: rerunning the same "
                    "command resumes. Exits 1 if a property fails.")
    val.add_argument("--profile", choices=("ci", "medium", "thorough"), default="ci",
                     help="ci: a minute or two; medium: about an hour of CPU; thorough: many "
                          "hours, resumable (default: ci)")
    val.add_argument("--out", metavar="DIR", default="validation/property",
                     help="output directory (default: ./validation/property)")
    val.add_argument("--workers", metavar="N", type=int, default=0,
                     help="worker processes (default: 0 = in this process)")
    val.add_argument("--scheduler", metavar="ADDRESS", default=None,
                     help="a Dask distributed scheduler, e.g. tcp://host:8786 (needs "
                          "'dualjit[distributed]'); batches then run on its workers")
    val.add_argument("--time-limit", metavar="SECONDS", type=float, default=None,
                     help="start no new batch after this many seconds (rerun to continue)")
    val.add_argument("--rules", metavar="NAMES", default=None,
                     help="comma-separated unary rule names programs may call (default: the "
                          "table's program rules); custom rules need --import")
    val.add_argument("--import", dest="imports", metavar="MODULE", action="append",
                     default=[], help="import MODULE first (it registers custom rules with "
                                      "dualjit.rule); repeatable")
    val.add_argument("--corpus", metavar="DIR", default=None,
                     help="also run the FPCore corpus in DIR (dualjit.validate.corpus)")
    val.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)

    if args.command == "certify":
        return _certify(parser, args)
    if args.command == "validate":
        return _validate(parser, args)

    if args.command == "demo":
        from .demo import run
        return run()
    from . import docs
    sys.stdout.write({"rules": docs.rules_markdown,
                      "conventions": docs.conventions_markdown}[args.command]())
    return 0


def _import_modules(parser, modules) -> None:
    import importlib
    for name in modules:
        try:
            importlib.import_module(name)
        except ImportError as err:
            parser.error(f"--import {name}: {err}")


def _names(parser, text):
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        parser.error("--rules: give at least one rule name")
    return names


def _certify(parser, args) -> int:
    from .certify.run import resolve_rules
    if args.workers < 0:
        parser.error(f"--workers must be >= 0, got {args.workers}")
    _import_modules(parser, args.imports)
    names = None if args.rules is None else _names(parser, args.rules)
    try:
        rules = resolve_rules(names)
    except ValueError as err:
        parser.error(f"--rules: {err}")
    from .certify.report import missed_budgets, text_table, write_reports
    from .certify.run import certify_rules
    try:
        run = certify_rules(rules, profile=args.profile, out_dir=args.out, workers=args.workers,
                            progress=not args.no_progress and sys.stderr.isatty())
    except KeyboardInterrupt:
        sys.stderr.write(f"\ninterrupted: finished oracle chunks are kept under "
                         f"{args.out}/oracle; rerun the same command to resume\n")
        return 130
    out = write_reports(run)
    report = out["report"]
    sys.stdout.write(text_table(report))
    s = report["summary"]
    sys.stdout.write(f"\n{s['certified']} of {s['rules']} rules certified ({args.profile} "
                     f"profile, {run.seconds:.0f} s; oracle chunks computed "
                     f"{run.chunks_computed}, reused {run.chunks_cached}).\n"
                     f"Reports: {out['json']}, {out['md']}, {out['html']}\n")
    missed = missed_budgets(report)
    if missed:
        sys.stdout.write(f"\n{len(missed)} rule(s) miss their budgets "
                         f"(details in {out['md']}):\n")
        for name, reasons in missed:
            sys.stdout.write(f"  {name}: {reasons[0] if reasons else ''}"
                             f"{f' (+{len(reasons) - 1} more)' if len(reasons) > 1 else ''}\n")
        return 1
    return 0


def _validate(parser, args) -> int:
    if args.workers < 0:
        parser.error(f"--workers must be >= 0, got {args.workers}")
    if args.time_limit is not None and not args.time_limit > 0:
        parser.error(f"--time-limit must be > 0, got {args.time_limit}")
    if args.scheduler is not None and "://" not in args.scheduler:
        parser.error(f"--scheduler must be an address like tcp://host:8786, got "
                     f"{args.scheduler!r}")
    if args.corpus is not None:
        import os
        if not os.path.isdir(args.corpus):
            parser.error(f"--corpus: no such directory: {args.corpus}")
    progress = not args.no_progress and sys.stderr.isatty()
    command = "dualjit " + " ".join(_quote(a) for a in sys.argv[1:]) \
        if sys.argv and sys.argv[0].endswith("dualjit") else None
    if command is None:
        command = (f"dualjit validate --profile {args.profile} --out {_quote(args.out)}"
                   + (f" --workers {args.workers}" if args.workers else "")
                   + (f" --scheduler {args.scheduler}" if args.scheduler else ""))
    from .validate.runner import PROFILES, run_profile
    profile = PROFILES[args.profile]
    if args.rules is not None or args.imports:
        from dataclasses import replace
        _import_modules(parser, args.imports)
        profile = replace(profile, imports=tuple(args.imports),
                          rules=None if args.rules is None else tuple(_names(parser, args.rules)))
    try:
        summary = run_profile(profile, args.out, workers=args.workers,
                              scheduler=args.scheduler, progress=progress,
                              time_limit=args.time_limit, command=command)
    except (RuntimeError, ValueError) as err:
        sys.stderr.write(f"dualjit validate: {err}\n")
        return 2
    _print_validate(summary, args.out)
    if summary["status"] == "interrupted":
        sys.stderr.write(f"\ninterrupted: {summary['batches']['done']} finished batches are kept "
                         f"under {args.out}/batches; rerun the same command to resume:\n"
                         f"  {summary['resume']}\n")
        return 130
    failed = summary["failed_checks"] > 0
    if args.corpus is not None:
        try:
            from .validate.corpus import run_corpus
        except ImportError as err:
            sys.stderr.write(f"dualjit validate: --corpus needs dualjit.validate.corpus: {err}\n")
            return 2
        try:
            corpus = run_corpus(args.corpus, args.out, workers=args.workers, progress=progress)
        except KeyboardInterrupt:
            sys.stderr.write("\ninterrupted during the corpus run\n")
            return 130
        sys.stdout.write("\nCorpus:\n")
        for k, v in (corpus or {}).items():
            if not isinstance(v, (list, dict)):
                sys.stdout.write(f"  {k}: {v}\n")
        bad = (corpus or {}).get("failures", (corpus or {}).get("failed", 0))
        if (isinstance(bad, (list, tuple, dict)) and len(bad)) or (
                isinstance(bad, (int, float)) and bad > 0):
            failed = True
    return 1 if failed else 0


def _quote(s: str) -> str:
    import shlex
    return shlex.quote(s)


def _print_validate(s: dict, out: str) -> None:
    b = s["batches"]
    sys.stdout.write(f"dualjit validate --profile {s['profile']['name']}: {s['status']}, "
                     f"{b['done']} of {b['total']} programs ({b['reused']} reused, "
                     f"{b['computed']} computed, {s['seconds_this_run']:.0f} s); points: "
                     f"{s['points']['scalar']} scalar, {s['points']['vector']} vector\n")
    for name, t in s["properties"].items():
        skipped = sum(t["skip"].values())
        sys.stdout.write(f"  {name:<18} passed {t['pass']:>7}  failed {t['fail']:>5}  "
                         f"skipped {skipped:>6}\n")
    sys.stdout.write(f"{s['failed_checks']} failed check(s). Summary: {out}/summary.md, "
                     f"{out}/summary.json\n")
    if s["status"] == "time-limited":
        sys.stdout.write(f"stopped by --time-limit; rerun to continue: {s['resume']}\n")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
