"""The ``dualjit`` command line: ``dualjit demo`` and ``dualjit rules``."""
from __future__ import annotations

import argparse
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="dualjit", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("demo", help="differentiate classic functions next to an mpmath reference")
    sub.add_parser("rules", help="print the rule list (the text of docs/rules.md)")
    sub.add_parser("conventions", help="print the conventions (the text of docs/conventions.md)")
    args = parser.parse_args(argv)

    if args.command == "demo":
        from .demo import run
        return run()
    from . import docs
    sys.stdout.write({"rules": docs.rules_markdown,
                      "conventions": docs.conventions_markdown}[args.command]())
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
