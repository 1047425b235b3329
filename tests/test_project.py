"""What the project promises about itself: documented commands, both languages complete,
modules small enough to read, a repository that installs without symlinks."""

from __future__ import annotations

import ast
import re
import subprocess
import sys

import click
import pytest

from tests.helpers import REPO
from zi_audit.cli.main import cli
from zi_audit.core.statuses import COMPLETE, STATUSES
from zi_audit.i18n import CATALOG, LANGS
from zi_audit.rules.model import bundled_rules_path

SRC = REPO / "src" / "zi_audit"


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out = []
    ctx = click.Context(group)
    for name in sorted(group.list_commands(ctx)):
        command = group.get_command(ctx, name)
        assert command is not None
        out.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            out += _commands(command, f"{prefix}{name} ")
    return out


@pytest.mark.parametrize(("name", "command"), _commands(cli), ids=lambda v: str(v))
def test_every_command_has_help_and_is_in_the_readme(name: str, command: click.Command) -> None:
    assert command.help and len(command.help) > 20, f"{name} has no help text"
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"zi-audit {name} {param.opts[0]} has no help text"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"zi-audit {name}" in readme, f"the README does not show 'zi-audit {name}'"


def test_a_command_imports_only_what_it_uses() -> None:
    """#23.2: `zi-audit scan` loads neither the mail and SMTP machinery (the email
    package, the message builder) nor watch's watchdog, nor the plan importer, nor the HTML
    renderer, nor importlib.metadata for its version, nor multiprocessing and the OCR
    tools before a file must be opened; they load where they are used."""
    code = (
        "import sys; from zi_audit.cli.main import cli; "
        "import click; cli.get_command(click.Context(cli), 'scan'); "
        "print(' '.join(sorted(sys.modules)))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    heavies = (
        "watchdog",
        "smtplib",
        "email.message",
        "importlib.metadata",
        "zi_audit.cli.watch",
        "zi_audit.rules.importing",
        "zi_audit.deliver.mail",
        "zi_audit.report.render_html",
        "multiprocessing",
        "subprocess",
        "zi_audit.inspection.ocr",
    )
    for heavy in heavies:
        assert not [m for m in loaded if m == heavy or m.startswith(heavy + ".")], heavy


def test_both_languages_have_the_same_words() -> None:
    keys = [set(CATALOG[lang]) for lang in LANGS]
    assert keys[0] == keys[1], keys[0] ^ keys[1]
    for lang in LANGS:
        for key, text in CATALOG[lang].items():
            other = CATALOG["en" if lang == "id" else "id"][key]
            fields = set(re.findall(r"{(\w+)}", text))
            assert fields == set(re.findall(r"{(\w+)}", other)), key


def test_modules_are_small_enough_to_read() -> None:
    for path in SRC.rglob("*.py"):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        limit = 150 if path.parent.name == "cli" else 400
        assert lines <= limit, f"{path.relative_to(REPO)} has {lines} lines (limit {limit})"


def test_no_reference_leaves_the_repository() -> None:
    for path in [*SRC.rglob("*.py"), *(REPO / "docs").glob("*.md"), REPO / "README.md"]:
        text = path.read_text(encoding="utf-8")
        assert "design.md" not in text and "shared/" not in text, path


def test_the_repository_holds_no_symlink_and_the_bundled_rules_are_real() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "-s"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert not [line for line in tracked.splitlines() if line.startswith("120000")]
    rules = bundled_rules_path()
    assert not rules.is_symlink() and rules.stat().st_size > 10_000


def test_the_scheduling_examples_do_not_rely_on_what_debian_ignores() -> None:
    """Debian's cron ignores CRON_TZ (the job ran at 01:30 server time); the systemd unit
    creates its own state and log directories."""
    crontab = (REPO / "examples" / "cron" / "crontab").read_text()
    assert not [line for line in crontab.splitlines() if line.startswith("CRON_TZ")]
    assert "ignore CRON_TZ" in crontab
    service = (REPO / "examples" / "cron" / "zi-audit.service").read_text()
    assert "StateDirectory=zi-audit" in service and "LogsDirectory=zi-audit" in service
    timer = (REPO / "examples" / "cron" / "zi-audit.timer").read_text()
    assert "Asia/Jakarta" in timer


def test_complete_means_one_thing_in_the_code_and_the_docs() -> None:
    """Every sentence of docs/ that says which statuses are complete names statuses.COMPLETE,
    the one definition the score, the figures and the history count with."""
    defining = re.compile(r"complete[^.|]*\bpresent\b", re.I)
    for doc in sorted((REPO / "docs").glob("*.md")):
        for n, line in enumerate(doc.read_text("utf-8").splitlines(), 1):
            if defining.search(line):
                named = set(re.findall(r"`(\w+)`", line)) & set(STATUSES)
                assert set(COMPLETE) <= named, f"{doc.name}:{n} says complete is {sorted(named)}"


def test_functions_are_short_enough_to_read() -> None:
    """No function (method, nested function) over 60 lines: a longer one is split along
    a seam the reader can see."""
    long = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > 60:
                    long.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name} ({lines})")
    assert long == []


def test_every_source_file_the_docs_name_exists() -> None:
    """The written contract points at code; after a move it must point at the new place."""
    texts = [REPO / "README.md", REPO / "CONTRIBUTING.md", *sorted((REPO / "docs").glob("*.md"))]
    named = {m for p in texts for m in re.findall(r"src/zi_audit/[\w/]+\.py", p.read_text("utf-8"))}
    assert named, "the docs name source files"
    assert sorted(n for n in named if not (REPO / n).is_file()) == []


def test_contributing_maps_every_package() -> None:
    text = (REPO / "CONTRIBUTING.md").read_text("utf-8")
    packages = sorted(
        p.parent.name for p in SRC.glob("*/__init__.py") if p.parent.name != "bundled_rules"
    )
    assert [p for p in packages if f"  {p}/" not in text] == []
