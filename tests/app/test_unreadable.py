"""A folder the nightly job cannot read (#20 point 1): its indicators are `unreadable`,
never missing; nothing under it is recorded as lost; the email says which folders and what
to ask the admin; the run exits 6. The tests run as root, so the job runs here without the
capabilities that let root ignore file modes (util-linux setpriv), as its own user would."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from tests.helpers import EXAMPLE_TREE
from tests.helpers.smtp_server import Sink

SETPRIV = [
    "setpriv",
    "--inh-caps=-dac_override,-dac_read_search",
    "--bounding-set=-dac_override,-dac_read_search",
    "--",
]


def _nightly(config: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    if shutil.which("setpriv") is None:
        pytest.skip("needs util-linux setpriv")
    cmd = [*SETPRIV, sys.executable, "-m", "zi_audit", "scan", "--config", str(config)]
    return subprocess.run([*cmd, *extra], capture_output=True, text=True, timeout=120)


def test_an_unreadable_folder_is_reported_as_such_and_nothing_under_it_is_lost(
    plain_server: tuple[Sink, int], tmp_path: Path
) -> None:
    sink, port = plain_server
    root = tmp_path / "share"
    shutil.copytree(EXAMPLE_TREE, root)
    state, log = tmp_path / "state", tmp_path / "zi.log"
    config = tmp_path / "zi-audit.yaml"
    config.write_text(
        f"root: {root}\nstate: {state}\nlog_file: {log}\nemail:\n  sender: zi@kpu.go.id\n"
        f"  recipients: [tim@kpu.go.id]\n  smtp: {{host: 127.0.0.1, port: {port}, security: plain}}\n"
    )
    first = _nightly(config, "--format", "json", "--history")
    assert first.returncode == 0, first.stderr
    before = {i["id"]: i["status"] for i in json.loads(first.stdout)["indicators"]}
    assert before["5.1.1"] == "present"
    sink.received.clear()

    folder = root / "5. Penguatan Pengawasan"
    folder.chmod(0)  # as on a share whose sub-folder the job's user may not read
    try:
        done = _nightly(config, "--format", "json", "--history", "--email")
        # A second night still unreadable: nothing the first one saw there was kept as a
        # result (state/results.py), so it is unreadable again, never missing.
        again = _nightly(config, "--format", "json")
    finally:
        folder.chmod(0o755)
    second = {i["id"]: i["status"] for i in json.loads(again.stdout)["indicators"]}
    assert {second[k] for k in second if k.startswith("5.")} == {"unreadable"}
    assert done.returncode == 6, done.stderr  # partial: part of the share could not be read
    doc = json.loads(done.stdout)
    after = {i["id"]: i["status"] for i in doc["indicators"]}
    assert {after[k] for k in after if k.startswith("5.")} == {"unreadable"}
    assert all(after[k] == before[k] for k in after if not k.startswith("5."))
    assert {"path": "5. Penguatan Pengawasan", "code": "unreadable"}.items() <= next(
        p for p in doc["problems"] if p["code"] == "unreadable"
    ).items()
    changes = doc["changes"]
    assert changes["disappeared"] == [] and changes["regressed"] == []
    assert doc["lke"]["unreadable"] > 0

    _, _, message = sink.received[0]
    mail = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert "folder tidak terbaca" in mail["Subject"]
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    for part in (text, html):
        assert "5. Penguatan Pengawasan" in part and "izin baca" in part
    assert "BUKTI HILANG" not in text and "lengkap → kurang" not in text
    assert "UNREADABLE" in log.read_text() and "GONE" not in log.read_text()
