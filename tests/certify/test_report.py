import copy
import json

import pytest

from dualjit.certify import report as rep
from dualjit.certify.run import certify_rules
from dualjit.certify.sampling import Profile
from dualjit.rules import RULES_BY_NAME


TINY = Profile("tiny", uniform=30, bits=20, chunk=16, all_targets=False)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("cert")
    rules = [RULES_BY_NAME["sin"], RULES_BY_NAME["hypot"], RULES_BY_NAME["log"]]
    run = certify_rules(rules, TINY, out, workers=0, backend="formulas")
    return run, rep.write_reports(run)


def test_report_json_follows_the_schema(written):
    run, paths = written
    report = json.loads(open(paths["json"]).read())
    rep.validate_report(report)
    errors = []
    rep._check(report, rep.load_schema(), "$", rep.load_schema()["$defs"], errors)  # hand validator
    assert errors == []
    assert report["schema_version"] == rep.SCHEMA_VERSION
    assert [r["rule"] for r in report["rules"]] == ["sin", "hypot", "log"]
    assert "lower bound" in report["note"]
    assert all(not k.startswith("_") for r in report["rules"] for k in r)


@pytest.mark.parametrize("breakage", ["missing", "type", "enum"])
def test_validation_catches_broken_reports(written, breakage):
    report = copy.deepcopy(written[1]["report"])
    if breakage == "missing":
        del report["rules"][0]["budget"]
    elif breakage == "type":
        report["rules"][1]["first"][0]["n"] = "many"
    else:
        report["rules"][0]["value"]["verdict"] = "fine"
    with pytest.raises(ValueError, match="schema"):
        rep.validate_report(report)


def test_markdown_has_one_summary_table_and_notes(written):
    _, paths = written
    md = open(paths["md"]).read()
    assert md.count("| rule | value |") == 1
    for name in ("sin", "hypot", "log"):
        assert f"| {name} |" in md
    assert "lower bound" in md


def test_html_has_the_table_and_a_plot_per_rule(written):
    _, paths = written
    page = open(paths["html"]).read()
    assert "<table>" in page and "id='hypot'" in page
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        pytest.skip("matplotlib not installed: no plots")
    assert page.count("data:image/png;base64,") == 3


def test_missed_budgets_names_the_rule_and_the_reason(written):
    report = copy.deepcopy(written[1]["report"])
    r = report["rules"][0]
    r["certified"] = False
    r["budget"]["first"]["reasons"] = ["df/dx: 9 ulp > 2 at ['0x1.0p+0']"]
    missed = rep.missed_budgets(report)
    assert missed[0][0] == "sin" and "9 ulp" in missed[0][1][0]


def test_infinite_ulp_errors_are_written_as_strings_and_tabulated(written):
    run, _ = written
    import dataclasses
    stats = copy.deepcopy(run.rules)
    stats[0]["first"][0]["max"] = float("inf")
    stats[0]["budget"]["first"]["max"] = float("inf")
    report = rep.build_report(dataclasses.replace(run, rules=stats))
    rep.validate_report(report)
    assert report["rules"][0]["first"][0]["max"] == "inf"
    assert "| sin | exact | inf |" in rep.summary_table(report)
    json.dumps(report, allow_nan=False)
