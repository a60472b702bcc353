"""Certification reports: report.json (versioned schema), report.md, report.html.

``report.json`` follows ``report_schema.json`` (JSON Schema, draft 2020-12) in this
package; :data:`SCHEMA_VERSION` is its version and is written into every report.
:func:`validate_report` checks a report against the schema with ``jsonschema`` when it
is installed, else with a small built-in validator (types, required keys, enums, items).

``report.md`` holds one summary table (rule, value verdict, f' and f'' max/median/p99
ulp with the witness of the max, budget status) and notes; ``report.html`` the same table
and, per rule, a plot of the derivative ulp error across the domain (|x| on a log
x-axis, ulp on a log y-axis), drawn with matplotlib when it is importable (the
``report`` extra) and embedded as a base64 PNG.
"""
from __future__ import annotations

import base64
import datetime as _dt
import html
import io
import json
import math
import platform
from pathlib import Path

__all__ = ["SCHEMA_VERSION", "build_report", "write_reports", "markdown_report",
           "summary_table", "html_report", "load_schema", "validate_report",
           "missed_budgets", "convention_warnings"]

SCHEMA_VERSION = "1.0"
SCHEMA_PATH = Path(__file__).with_name("report_schema.json")


def load_schema() -> dict:
    with open(SCHEMA_PATH) as fh:
        return json.load(fh)


def _public(d):
    if isinstance(d, dict):
        return {k: _public(v) for k, v in d.items() if not k.startswith("_")}
    if isinstance(d, list):
        return [_public(v) for v in d]
    if isinstance(d, float) and not math.isfinite(d):
        return repr(d)  # JSON has no inf/NaN; keep them readable
    return d


def _environment() -> dict:
    import numpy

    from ..oracle import backend_info
    try:
        import numba
        numba_version = numba.__version__
    except ImportError:  # pragma: no cover
        numba_version = None
    try:
        from importlib.metadata import version
        dj = version("dualjit")
    except Exception:  # noqa: BLE001 - not installed as a distribution
        dj = None
    return {"python": platform.python_version(), "platform": platform.platform(),
            "machine": platform.machine(), "numpy": numpy.__version__, "numba": numba_version,
            "dualjit": dj, "oracle": backend_info()}


def build_report(run) -> dict:
    """The report.json content of a :class:`~.run.CertifyRun`."""
    from ..oracle import DEFAULT_POLICY
    from .stats import LOWER_BOUND_NOTE
    rules = _public(run.rules)
    missed = [r["rule"] for r in rules if not r["certified"]]
    return {
        "schema": "dualjit-certification-report",
        "schema_version": SCHEMA_VERSION,
        "generated": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "profile": run.profile,
        "backend": run.backend,
        "workers": run.workers,
        "seconds": round(run.seconds, 3),
        "oracle_chunks": {"cached": run.chunks_cached, "computed": run.chunks_computed},
        "precision_policy": {"start": DEFAULT_POLICY.start, "cap": DEFAULT_POLICY.cap},
        "environment": _environment(),
        "note": LOWER_BOUND_NOTE,
        "summary": {"rules": len(rules), "certified": len(rules) - len(missed),
                    "missed": missed},
        "rules": rules,
    }


def missed_budgets(report) -> list:
    """(rule, [reasons]) for every rule that is not certified."""
    out = []
    for r in report["rules"]:
        if r["certified"]:
            continue
        reasons = []
        for order in ("first", "second"):
            b = r["budget"][order]
            reasons += [f"f{'′' if order == 'first' else '″'} {x}" for x in b["reasons"]]
        if r["value"]["verdict"] == "FAILED":
            v = r["value"]["violations"][0]
            reasons.append(f"value: {r['value']['n_violations']} violation(s) of "
                           f"|v - v_true| <= |f(x) - v_true| (e.g. at {v['input']})")
        for k in r["kinks"]["mismatches"][:3]:
            reasons.append(f"kink {k['where']} at {k['input']}: got {k['got']}, "
                           f"convention {k['expected']}")
        for c in r["consistency"][:3]:
            reasons.append(f"types disagree at {c['input']}: {c['message']}")
        out.append((r["rule"], reasons))
    return out


def convention_warnings(report) -> list:
    """(rule, [warnings]) for rules whose engine returns derivatives where the oracle
    has none (undefined mismatches): conventions to document; they fail no budget."""
    out = []
    for r in report["rules"]:
        w = [f"f{'′' if o == 'first' else '″'} {x}" for o in ("first", "second")
             for x in r["budget"][o]["warnings"]]
        if w:
            out.append((r["rule"], w))
    return out


def _num(x) -> str:
    if x is None:
        return "–"
    if isinstance(x, str):
        return x
    if x == 0:
        return "0"
    if abs(x) >= 1e4 or abs(x) < 1e-2:
        return f"{x:.2e}"
    return f"{x:.3g}"


def _worst(parts):
    best = None
    for s in parts:
        if s["max"] is not None and (best is None or float(s["max"]) > float(best["max"])):
            best = s
    return best


def _cells(parts, arity):
    w = _worst(parts)
    if w is None:
        return ["–", "–", "–", "–"]
    lab = f" ({w['label']})" if arity == 2 else ""
    wit = ", ".join(w["witness"]["input"])
    return [f"{_num(w['max'])}{lab}", _num(w["median"]), _num(w["p99"]), wit]


def _budget_cell(r) -> str:
    miss = [o for o in ("first", "second") if not r["budget"][o]["met"]]
    extra = []
    if r["value"]["verdict"] == "FAILED":
        extra.append("value")
    if r["kinks"]["mismatches"]:
        extra.append("kinks")
    if r["consistency"]:
        extra.append("types")
    if not miss and not extra:
        return "met"
    names = [{"first": "f′", "second": "f″"}[o] for o in miss] + extra
    return "MISSED: " + ", ".join(names)


HEADER = ("rule", "value", "f′ max ulp", "f′ median", "f′ p99", "f′ witness",
          "f″ max ulp", "f″ median", "f″ p99", "f″ witness", "budget (f′/f″)", "status")


def summary_rows(report) -> list:
    rows = []
    for r in report["rules"]:
        b = f"{r['budget']['first']['budget']:g}/{r['budget']['second']['budget']:g}"
        rows.append([r["rule"], r["value"]["verdict"], *_cells(r["first"], r["arity"]),
                     *_cells(r["second"], r["arity"]), b, _budget_cell(r)])
    return rows


def summary_table(report) -> str:
    """The summary as a Markdown table."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for row in summary_rows(report):
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |")
    return "\n".join(lines) + "\n"


def text_table(report) -> str:
    """A compact plain-text summary for the terminal."""
    cols = ("rule", "value", "f′ max", "f″ max", "status")
    rows = [[r[0], r[1], r[2], r[6], r[11]] for r in summary_rows(report)]
    widths = [max(len(str(x)) for x in [c] + [row[i] for row in rows]) for i, c in enumerate(cols)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join([fmt.format(*cols)] + [fmt.format(*row) for row in rows]) + "\n"


def _notes(report) -> str:
    out = ["## Notes", "",
           f"- {report['note']}",
           "- ulp error = |computed − true| / ulp(true rounded to double); the true values "
           "are the mpmath oracle's, accepted only when two rising precisions round to the "
           "same double (else the point is *unresolved* and not scored).",
           "- A budget is met when the max ulp error is within it and there is no NaN or "
           "inf mismatch and no false zero (0 returned where the truth is not 0). "
           "Kink points are checked against the documented convention instead of in ulps.",
           "- value: `exact` = every number type's value part is bit-for-bit the primal; "
           "`agrees` = not always identical but never worse than the primal "
           "(|v − v_true| ≤ |f(x) − v_true|); `FAILED` = some value is worse.",
           f"- Profile `{report['profile']}`, backend `{report['backend']}`, "
           f"{report['workers']} worker(s), {report['seconds']:.0f} s; oracle chunks "
           f"computed {report['oracle_chunks']['computed']}, reused "
           f"{report['oracle_chunks']['cached']}.",
           ""]
    missed = missed_budgets(report)
    if missed:
        out += ["## Rules that miss their budgets", ""]
        for name, reasons in missed:
            out.append(f"- **{name}**")
            out += [f"  - {x}" for x in reasons[:8]]
            if len(reasons) > 8:
                out.append(f"  - … {len(reasons) - 8} more in report.json")
        out.append("")
    warn = convention_warnings(report)
    if warn:
        out += ["## Conventions to document (warnings, not budget failures)", "",
                "The engine returns a derivative where the oracle's reference has none "
                "(`undefined_mismatch`: poles, kinks the row does not list, infinite "
                "arguments). Each should be a documented convention or a NaN.", ""]
        for name, ws in warn:
            out.append(f"- **{name}**: " + "; ".join(ws[:4])
                       + (f"; … {len(ws) - 4} more" if len(ws) > 4 else ""))
        out.append("")
    return "\n".join(out)


def markdown_report(report) -> str:
    s = report["summary"]
    head = [f"# dualjit certification report ({report['profile']} profile)", "",
            f"Generated {report['generated']}; schema {report['schema_version']}. "
            f"{s['certified']} of {s['rules']} rules certified.", ""]
    return "\n".join(head) + "\n" + summary_table(report) + "\n" + _notes(report)


def _plot_png(rule_stats) -> str | None:
    """A base64 PNG of the derivative ulp error against |x|, or None without matplotlib."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    plot = rule_stats.get("_plot")
    if not plot:
        return None
    from matplotlib.ticker import FuncFormatter, MaxNLocator
    # Logarithmic axes drawn as log10 values on linear axes: matplotlib's log scale
    # overflows on the full double range (|x| up to 1.8e308).
    fig, ax = plt.subplots(figsize=(6.4, 3.2), dpi=80)
    floor_x, floor_y = 5e-324, 1e-3
    for key, label, marker in (("first", "f′", "o"), ("second", "f″", "x")):
        xs = [math.log10(max(x, floor_x)) for x in plot[key]["abs_x"]]
        ys = [math.log10(min(max(y, floor_y), 1e300)) for y in plot[key]["ulps"]]
        if xs:
            ax.scatter(xs, ys, s=6, marker=marker, label=label, alpha=0.6)
    for order, color in (("first", "C0"), ("second", "C1")):
        b = rule_stats["budget"][order]["budget"]
        ax.axhline(math.log10(b), color=color, lw=0.8, ls="--")
    pow10 = FuncFormatter(lambda v, _: f"1e{v:.0f}")
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(MaxNLocator(integer=True, nbins=8))
        axis.set_major_formatter(pow10)
    ax.set_xlabel("|x| (log scale, first argument; 0 drawn at 5e-324)")
    ax.set_ylabel("ulp error (log; 0 at 1e-3)")
    ax.set_title(f"{rule_stats['rule']}: derivative ulp error (dashed: budgets)")
    ax.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def html_report(report, rule_stats=None) -> str:
    """report.html: the summary table and, per rule, the ulp plot (``rule_stats``: the
    full statistics with their private ``_plot`` data; without them, no plots)."""
    e = html.escape
    rows = summary_rows(report)
    parts = ["<!doctype html><html><head><meta charset='utf-8'>",
             f"<title>dualjit certification ({e(report['profile'])})</title>",
             "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;"
             "font-size:12px}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
             "td:first-child{text-align:left}.miss{background:#fdd}.ok{background:#dfd}"
             "</style></head><body>",
             f"<h1>dualjit certification report ({e(report['profile'])} profile)</h1>",
             f"<p>Generated {e(report['generated'])}; {report['summary']['certified']} of "
             f"{report['summary']['rules']} rules certified. {e(report['note'])}</p>",
             "<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in HEADER) + "</tr>"]
    for row in rows:
        cls = "ok" if row[-1] == "met" else "miss"
        parts.append("<tr>" + "".join(
            f"<td class='{cls}'>{e(str(c))}</td>" if i == len(row) - 1
            else f"<td><a href='#{e(row[0])}'>{e(str(c))}</a></td>" if i == 0
            else f"<td>{e(str(c))}</td>" for i, c in enumerate(row)) + "</tr>")
    parts.append("</table>")
    missed = dict(missed_budgets(report))
    by_name = {s["rule"]: s for s in (rule_stats or [])}
    for r in report["rules"]:
        parts.append(f"<h2 id='{e(r['rule'])}'>{e(r['rule'])}</h2>")
        parts.append(f"<p>targets: {e(', '.join(r['targets']))}; {r['n_points']} points; "
                     f"value: {e(r['value']['verdict'])}; unresolved points: "
                     f"{r['unresolved_points']}; kink points checked: {r['kinks']['checked']}, "
                     f"on an unlisted kink (not scored): {r['kinks']['unlisted']}</p>")
        if r["rule"] in missed:
            parts.append("<ul>" + "".join(f"<li>{e(x)}</li>" for x in missed[r["rule"]][:8])
                         + "</ul>")
        png = _plot_png(by_name[r["rule"]]) if r["rule"] in by_name else None
        if png:
            parts.append(f"<img alt='ulp error of {e(r['rule'])}' "
                         f"src='data:image/png;base64,{png}'>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_reports(run, out_dir=None) -> dict:
    """Write report.json, report.md and report.html for ``run`` into ``out_dir``
    (default: the run's own). Returns {'json': path, 'md': path, 'html': path} and
    the report dict under 'report'."""
    out = Path(out_dir or run.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    report = build_report(run)
    validate_report(report)
    paths = {"json": out / "report.json", "md": out / "report.md", "html": out / "report.html"}
    with open(paths["json"], "w") as fh:
        json.dump(report, fh, indent=1, allow_nan=False)
        fh.write("\n")
    paths["md"].write_text(markdown_report(report))
    paths["html"].write_text(html_report(report, run.rules))
    return {**{k: str(v) for k, v in paths.items()}, "report": report}


# --- validation ----------------------------------------------------------------------

_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool,
          "null": type(None)}


def _is_type(x, t) -> bool:
    if t == "integer":
        return isinstance(x, int) and not isinstance(x, bool)
    if t == "number":
        return isinstance(x, (int, float)) and not isinstance(x, bool)
    return isinstance(x, _TYPES[t])


def _check(x, schema, path, defs, errors):
    if "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    t = schema.get("type")
    if t is not None:
        ts = t if isinstance(t, list) else [t]
        if not any(_is_type(x, tt) for tt in ts):
            errors.append(f"{path}: expected {t}, got {type(x).__name__}")
            return
    if "enum" in schema and x not in schema["enum"]:
        errors.append(f"{path}: {x!r} not one of {schema['enum']}")
    if "const" in schema and x != schema["const"]:
        errors.append(f"{path}: {x!r} is not {schema['const']!r}")
    if isinstance(x, dict):
        for k in schema.get("required", ()):
            if k not in x:
                errors.append(f"{path}: missing required key {k!r}")
        for k, sub in schema.get("properties", {}).items():
            if k in x:
                _check(x[k], sub, f"{path}.{k}", defs, errors)
    if isinstance(x, list) and "items" in schema:
        for i, v in enumerate(x):
            _check(v, schema["items"], f"{path}[{i}]", defs, errors)


def validate_report(report, schema=None) -> None:
    """Raise ValueError if ``report`` does not follow the schema."""
    schema = schema or load_schema()
    try:
        import jsonschema
    except ImportError:
        errors: list = []
        _check(report, schema, "$", schema.get("$defs", {}), errors)
        if errors:
            raise ValueError("report does not follow the schema:\n  " + "\n  ".join(errors[:20]))
        return
    try:  # pragma: no cover - exercised only where jsonschema is installed
        jsonschema.validate(report, schema)
    except jsonschema.ValidationError as err:  # pragma: no cover
        raise ValueError(f"report does not follow the schema: {err.message}") from err
