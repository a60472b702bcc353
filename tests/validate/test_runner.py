"""The runner: resume after an interrupt, the summary and reproducers, the CLI."""
import json
import subprocess
import sys

import pytest

from dualjit import cli
from dualjit.validate import runner
from dualjit.validate.properties import Outcome, Property, ProgramContext, _types_check, \
    _values_check
from dualjit.validate.runner import ValidateProfile, run_profile
from dualjit.validate.space import Program

# Depth-1 programs over two rules: cheap to compile, and compiled once per session.
TINY = ValidateProfile("tiny", scalar_programs=2, scalar_points=3, vector_programs=0,
                       vector_points=0, max_depth=1, rules=("sin", "exp"))


def test_interrupt_then_resume(tmp_path):
    seen = []

    def stop_after_first(res):
        seen.append(res["index"])
        raise KeyboardInterrupt

    s = run_profile(TINY, tmp_path, _on_batch=stop_after_first)
    assert s["status"] == "interrupted"
    assert s["batches"] == {"total": 2, "done": 1, "reused": 0, "computed": 1}
    bdir = tmp_path / "batches" / runner.run_key(TINY)
    assert len(list(bdir.glob("*.json"))) == 1
    s2 = run_profile(TINY, tmp_path)
    assert s2["status"] == "complete"
    assert s2["batches"] == {"total": 2, "done": 2, "reused": 1, "computed": 1}
    assert s2["points"]["scalar"] == 6 and s2["programs"]["scalar"] == 2
    assert s2["failed_checks"] == 0
    # A third run recomputes nothing.
    s3 = run_profile(TINY, tmp_path)
    assert s3["batches"]["computed"] == 0 and s3["batches"]["reused"] == 2


def test_summary_files(tmp_path):
    s = run_profile(TINY, tmp_path)
    js = json.loads((tmp_path / "summary.json").read_text())
    assert js["status"] == "complete" and js["profile"]["name"] == "tiny"
    assert set(js["properties"]) == {"value_exact", "nan_propagation", "types_agree", "oracle",
                                     "enclosure_contains"}
    ora = js["properties"]["oracle"]
    assert ora["pass"] + ora["fail"] + sum(ora["skip"].values()) >= 6
    assert "C * B / |f'_true|" in js["budget_formula"]
    md = (tmp_path / "summary.md").read_text()
    assert "| oracle |" in md and "## Budget" in md and "Failures" in md
    assert s["run_key"] == js["run_key"]


def _planted(ctx, point, draw):
    x = point[0]
    msg = f"planted failure at {x!r}"
    rep = ctx.header("planted", msg) + (
        f"x = float.fromhex('{x.hex()}')\n"
        f"assert {ctx.program.name}(x) != {ctx.program.name}(x), 'planted'\n")
    return [Outcome("fail", msg, rep)]


def test_failures_have_runnable_reproducers(tmp_path):
    planted = Property("planted", "scalar", "always fails", _planted)
    s = run_profile(TINY, tmp_path, properties=["value_exact", planted])
    assert s["failed_checks"] == 6
    assert s["properties"]["planted"]["fail"] == 6
    # At most 3 stored per property and batch; all counted.
    assert len(s["failures"]) == 6
    f = s["failures"][0]
    assert f["point"] and f["reproducer_file"].startswith("reproducers/")
    path = tmp_path / f["reproducer_file"]
    assert path.read_text() == f["reproducer"]
    assert "float.fromhex(" in f["reproducer"] and "def f0(x):" in f["reproducer"]
    r = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 1 and "AssertionError: planted" in r.stderr
    md = (tmp_path / "summary.md").read_text()
    assert "planted failure" in md and "```python" in md


def test_property_reproducers_run_as_is(tmp_path):
    """The real properties' reproducers run standalone (the engine is consistent, so
    they pass: the failure was faked by tampering with the cached engine results)."""
    p = Program((("var", 0), ("un", "sin", "math.sin", 0)), (1,), name="f")
    ctx = ProgramContext(p)
    x = 0.75
    e = dict(ctx.engine(x))
    e["dual"] = (e["dual"][0], e["dual"][1] + 1.0)       # fake a Dual/HyperDual mismatch
    e["vad"] = (e["vad"][0] + 1.0, e["vad"][1])          # fake a value mismatch
    ctx._cache = {k: e for k in ctx._cache}
    for check in (_types_check, _values_check):
        (out,) = check(ctx, (x,), None)
        assert out.status == "fail"
        path = tmp_path / f"{check.__name__}.py"
        path.write_text(out.reproducer)
        r = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                           timeout=300)
        assert r.returncode == 0, r.stderr


def test_unknown_property_name(tmp_path):
    with pytest.raises(ValueError, match="unknown properties"):
        run_profile(TINY, tmp_path, properties=["nope"])


@pytest.mark.parametrize("argv", [
    ["validate", "--workers", "-1"],
    ["validate", "--profile", "huge"],
    ["validate", "--scheduler", "not-an-address"],
    ["validate", "--time-limit", "0"],
    ["validate", "--corpus", "/nonexistent/corpus/dir"],
    ["validate", "--workers", "two"],
])
def test_cli_argument_errors(argv, capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(argv)
    assert e.value.code == 2
    assert "error" in capsys.readouterr().err


def test_cli_runs_a_profile(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(runner.PROFILES, "ci", TINY)
    rc = cli.main(["validate", "--out", str(tmp_path), "--no-progress"])
    out = capsys.readouterr().out
    assert rc == 0, out
    assert "oracle" in out and "0 failed check(s)" in out
    assert (tmp_path / "summary.md").exists()


def test_cli_exit_codes(tmp_path, monkeypatch, capsys):
    def fake(status, failed):
        def run_profile(*a, **k):
            return {"status": status, "failed_checks": failed, "profile": {"name": "ci"},
                    "batches": {"done": 1, "total": 2, "reused": 0, "computed": 1},
                    "seconds_this_run": 1.0, "points": {"scalar": 3, "vector": 0},
                    "properties": {}, "resume": "dualjit validate --out X"}
        return run_profile

    monkeypatch.setattr(runner, "run_profile", fake("interrupted", 0))
    assert cli.main(["validate", "--out", str(tmp_path), "--no-progress"]) == 130
    err = capsys.readouterr().err
    assert "rerun the same command to resume" in err and "dualjit validate --out X" in err
    monkeypatch.setattr(runner, "run_profile", fake("complete", 2))
    assert cli.main(["validate", "--out", str(tmp_path), "--no-progress"]) == 1


def test_oracle_reproducer_runs_and_fails(tmp_path, monkeypatch):
    from dualjit.validate import properties as props

    class Tight:
        out_of_range = partials_out_of_range = False

        def first_budget(self, *a):
            return -1.0             # no error is small enough: forces a failure

        second_budget = first_budget

        def kappa(self, *a):
            return 1.0

    monkeypatch.setattr(props, "program_bounds", lambda program, x: Tight())
    p = Program((("var", 0), ("un", "sin", "math.sin", 0)), (1,), name="f")
    outs = props._oracle_check(ProgramContext(p), (0.75,), None)
    assert [o.status for o in outs] == ["fail", "fail"]
    for k, o in enumerate(outs):
        path = tmp_path / f"oracle{k}.py"
        path.write_text(o.reproducer)
        r = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                           timeout=300)
        assert r.returncode == 1 and "AssertionError" in r.stderr, r.stderr
        assert "FunctionCertificate" in r.stdout
