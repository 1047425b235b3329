"""The HTML report as a person sees it: rendered by headless Chromium on a phone-sized screen."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from tests.helpers import REPO, run_cli

ARTIFACTS = REPO / "build" / "test-artifacts"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def chromium() -> str:
    found = (
        shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome")
    )
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(
                "Chromium is required under CI (.ci/run installs Debian's chromium package)"
            )
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    return found


def test_html_report_on_a_phone_screen(example_tree: Path, tmp_path: Path) -> None:
    browser = chromium()
    state = tmp_path / "state"
    code, _, err = run_cli(
        "scan",
        str(example_tree),
        "--as-of",
        "2025-11-15",
        "--history",
        "--state",
        str(state),
        "--quiet",
    )
    assert code == 0, err
    page = tmp_path / "laporan.html"
    assert (
        run_cli("report", "--state", str(state), "--format", "html", "--output", str(page))[0] == 0
    )
    html = page.read_text()
    assert (
        "<script" not in html and "http://" not in html and "https://" not in html
    )  # self-contained

    profile = tmp_path / "profile"
    base = [browser, *FLAGS, f"--user-data-dir={profile}", "--window-size=412,2400"]
    dom = subprocess.run(
        [*base, "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert "8/86" in dom and "indikator selesai" in dom
    assert dom.count('class="bar"') == 6  # a bar per component
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "laporan-html.png"
    shot.unlink(missing_ok=True)
    subprocess.run(
        [*base, f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120, check=True
    )
    with Image.open(shot) as image:
        image = image.convert("RGB")
        assert image.size == (412, 2400)
        colours = image.getcolors(maxcolors=1 << 16) or []
        # The progress bars' green is drawn: the page rendered, styled, not blank.
        assert any(
            abs(r - 0x12) < 8 and abs(g - 0xB7) < 8 and abs(b - 0x6A) < 8
            for _, (r, g, b) in colours
        )
        assert len(colours) > 50
