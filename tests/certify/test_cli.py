import dataclasses
import json

import pytest

import dualjit.certify.run as runmod
from dualjit.cli import main


def test_unknown_rule_names_are_listed_with_the_valid_ones(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["certify", "--rules", "sin,nosuch,tanhh"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "nosuch, tanhh" in err and "valid names:" in err and "sigmoid" in err


def test_bad_arguments_are_rejected(capsys):
    with pytest.raises(SystemExit):
        main(["certify", "--profile", "fast"])
    with pytest.raises(SystemExit):
        main(["certify", "--workers", "-1"])
    assert "--workers" in capsys.readouterr().err


def test_certify_writes_reports_and_exits_zero(tmp_path, capsys):
    code = main(["certify", "--rules", "sin", "--out", str(tmp_path), "--workers", "0"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "sin" in out and "1 of 1 rules certified" in out and "report.md" in out
    for f in ("report.json", "report.md", "report.html"):
        assert (tmp_path / f).exists()
    assert json.loads((tmp_path / "report.json").read_text())["summary"]["missed"] == []


def test_certify_exits_nonzero_and_names_the_rule_that_misses(tmp_path, capsys, monkeypatch):
    real = runmod.certify_rules

    def planted(rules, **kw):
        rules = [dataclasses.replace(r, first=lambda x, y: 1.0 - y * y) if r.name == "tanh" else r
                 for r in rules]
        return real(rules, **dict(kw, backend="formulas"))

    monkeypatch.setattr(runmod, "certify_rules", planted)
    code = main(["certify", "--rules", "tanh", "--out", str(tmp_path), "--workers", "0"])
    out = capsys.readouterr().out
    assert code == 1
    assert "miss their budgets" in out and "tanh: f′ df/dx:" in out
    assert str(tmp_path / "report.md") in out
