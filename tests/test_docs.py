"""The generated docs are committed up to date, and the README's quick start holds."""
import pathlib
import re
import subprocess
import sys

import pytest

from dualjit import docs

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_rules_doc_is_current():
    assert (ROOT / "docs" / "rules.md").read_text() == docs.rules_markdown(), \
        "regenerate: dualjit rules > docs/rules.md"


def test_conventions_doc_is_current():
    assert (ROOT / "docs" / "conventions.md").read_text() == docs.conventions_markdown(), \
        "regenerate: dualjit conventions > docs/conventions.md"


def test_readme_quick_start_has_exactly_two_commands():
    text = (ROOT / "README.md").read_text()
    block = re.search(r"## Quick start\n+```(?:bash|sh)?\n(.*?)```", text, re.S)
    assert block, "README.md must open with a Quick start code block"
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2
    assert "dualjit" in commands[0] and "pytest" in commands[1]


@pytest.mark.parametrize("doc", ["README.md", "docs/custom_rules.md"])
def test_python_examples_run(doc, tmp_path):
    # Run as a script file, as a user would: the examples use cache=True, which needs a
    # real source file (and keeps its cache in tmp_path, not beside README.md).
    text = (ROOT / doc).read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks
    for i, block in enumerate(blocks):
        script = tmp_path / f"example_{i}.py"
        script.write_text(block)
        done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True,
                              text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
