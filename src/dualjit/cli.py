"""The ``dualjit`` command line: ``dualjit demo``, ``dualjit rules``, ``dualjit conventions``
and ``dualjit certify``."""
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
    cert.add_argument("--profile", choices=("quick", "thorough"), default="quick",
                      help="quick: a few hundred points per rule; thorough: 10^6 (default: quick)")
    cert.add_argument("--out", metavar="DIR", default="certification",
                      help="output directory (default: ./certification)")
    cert.add_argument("--workers", metavar="N", type=int, default=2,
                      help="worker processes for the oracle and the compilation (default: 2; "
                           "0 runs everything in this process)")
    cert.add_argument("--no-progress", action="store_true", help="no progress bars")
    args = parser.parse_args(argv)

    if args.command == "certify":
        return _certify(parser, args)

    if args.command == "demo":
        from .demo import run
        return run()
    from . import docs
    sys.stdout.write({"rules": docs.rules_markdown,
                      "conventions": docs.conventions_markdown}[args.command]())
    return 0


def _certify(parser, args) -> int:
    from .certify.run import resolve_rules
    if args.workers < 0:
        parser.error(f"--workers must be >= 0, got {args.workers}")
    names = None
    if args.rules is not None:
        names = [n.strip() for n in args.rules.split(",") if n.strip()]
        if not names:
            parser.error("--rules: give at least one rule name")
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
