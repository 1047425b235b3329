"""Watch mode on real file-system events, native (inotify) and polling."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfWriter

from tests.helpers import EXAMPLE_TREE, pdf_bytes, run_cli
from zi_audit.app.watch import Watcher, WatchOptions
from zi_audit.pipeline import Pipeline, ScanOptions
from zi_audit.report import document
from zi_audit.rules.model import RuleSet
from zi_audit.state.paths import prepare_state_dir
from zi_audit.walk.ignore import is_clutter_file
from zi_audit.walk.mounts import mount_of, parse_mountinfo

AGEN = "1. Manajemen Perubahan/1.4 Perubahan Pola Pikir dan Budaya Kerja/1.4.2 Sudah ditetapkan agen perubahan"
MONEV = "1. Manajemen Perubahan/1.3 Pemantauan dan Evaluasi Pembangunan WBK-WBBM/1.3.2 Terdapat monitoring dan evaluasi"
SPIP = "5. Penguatan Pengawasan/5.2 Penerapan Sistem Pengendalian Intern/5.2.4 SPI telah diinformasikan dan"
BK = "5. Penguatan Pengawasan/5.5 Penanganan Benturan Kepentingan/5.5.1 Telah terdapat identifikasi-pemetaan benturan"


class Running:
    def __init__(self, watcher: Watcher) -> None:
        self.watcher = watcher
        self.lines: list[str] = []
        watcher.out = self.lines.append
        self.thread = threading.Thread(target=watcher.run, daemon=True)

    def wait_for(self, text: str, timeout: float = 15.0, start: int = 0) -> int:
        """Index of the first printed line (from `start`) containing `text`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for n, line in enumerate(self.lines[start:], start):
                if text in line:
                    return n
            time.sleep(0.05)
        raise AssertionError(f"{text!r} not printed; got: {self.lines}")

    def status(self, key: str) -> str:
        assert self.watcher.report is not None
        return next(
            i.status
            for r in self.watcher.report.indicators
            for i in r.items
            if i.evidence.key == key
        )


@pytest.fixture(params=["native", "polling"])
def watching(
    request: pytest.FixtureRequest, rules: RuleSet, tmp_path: Path
) -> Iterator[tuple[Running, Path]]:
    root = tmp_path / "share"
    shutil.copytree(EXAMPLE_TREE, root)
    pipeline = Pipeline(
        root,
        rules,
        ScanOptions(as_of=dt.date(2025, 11, 15)),
        state=prepare_state_dir(tmp_path / "state"),
    )
    options = WatchOptions(
        polling=0.3 if request.param == "polling" else None,
        html=tmp_path / "www" / "laporan.html",
    )
    run = Running(Watcher(pipeline, options, out=print))
    run.thread.start()
    assert run.watcher.ready.wait(30), run.lines  # watches are in place: no event can be missed
    try:
        yield run, root
    finally:
        run.watcher.stop.set()
        run.thread.join(10)
        assert not run.thread.is_alive()


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def test_changes_show_as_they_land(watching: tuple[Running, Path]) -> None:
    run, root = watching
    assert "87 indikator" in run.lines[1]
    # Create.
    write(root / BK / "Surat Pernyataan Benturan Kepentingan 2025-09-01.pdf", pdf_bytes())
    n = run.wait_for(
        "5.5.1 Surat pernyataan tidak memiliki benturan kepentingan: kurang -> lengkap"
    )
    assert "(Surat Pernyataan Benturan Kepentingan 2025-09-01.pdf)" in run.lines[n]
    # Delete; then rename a draft (in a folder whose name counts for nothing) into a name that counts.
    (root / AGEN / "SK Tim Agen Perubahan 20251020.pdf").unlink()
    n = run.wait_for("1.4.2 SK Tim Agen Perubahan: terlambat -> kurang", start=n)
    write(root / "Unggahan" / "draft.pdf", pdf_bytes())
    (root / "Unggahan" / "draft.pdf").rename(
        root / "Unggahan" / "SK Tim Agen Perubahan 2025-09-10.pdf"
    )
    n = run.wait_for("1.4.2 SK Tim Agen Perubahan: kurang -> lengkap", start=n)
    # Move a generic document from one indicator's folder to another's.
    meeting = next((root / "1. Manajemen Perubahan").rglob("Rapat Evaluasi 15 Oktober 2025"))
    (root / SPIP).mkdir(parents=True)
    shutil.move(meeting / "Daftar Hadir.pdf", root / SPIP / "Daftar Hadir.pdf")
    m = run.wait_for("5.2.4 Daftar Hadir: belum waktunya -> lengkap", start=n)
    n = max(m, run.wait_for("1.3.2 Daftar hadir: lengkap -> belum waktunya", start=n))
    # A folder rename: the photo inside stops counting as the banner the folder was named for.
    banner = next(root.rglob("Banner Kawasan Zona Integritas"))
    banner.rename(banner.with_name("Arsip Foto"))
    n = run.wait_for(
        "5.1.1 Banner Kawasan Zona Integritas WBK dan WBBM: lengkap -> belum waktunya", start=n
    )
    assert run.status("5.1.1/2") == "pending"
    # Delete.
    next(root.rglob("LHKPN 2025-03-31.pdf")).unlink()
    run.wait_for("1.4.4 LHKPN dan LHKASN: lengkap -> belum waktunya", start=n)
    page = run.watcher.options.html or Path()
    deadline = time.monotonic() + 10  # the page is written just after the lines are printed
    landed = re.compile(r"<li>\d\d:\d\d:\d\d 1.4.4 LHKPN")
    while not landed.search(page.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    html = page.read_text()
    assert '<meta http-equiv="refresh" content="5">' in html
    # #21.11: the page says when it was brought up to date and lists the latest changes,
    # newest first, each with its time; every terminal line carries a time.
    assert re.search(r"terakhir diperbarui \d{4}-\d\d-\d\d \d\d:\d\d:\d\d WIB", html)
    recent = html.split("Perubahan terakhir")[1]
    assert re.search(r"<li>\d\d:\d\d:\d\d 1.4.4 LHKPN dan LHKASN: lengkap -&gt;", recent)
    assert recent.index("1.4.4 LHKPN") < recent.index("5.1.1 Banner")
    assert all(re.match(r"\d\d:\d\d:\d\d ", line) for line in run.lines)


def test_a_slow_copy_is_judged_once_it_settles(watching: tuple[Running, Path]) -> None:
    run, root = watching
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/CreationDate": "D:20250901090000+07'00'", "/Subject": "x" * 40_000})
    buf = io.BytesIO()
    writer.write(buf)
    data = buf.getvalue()  # a real 40 KB PDF, complete only at its last byte
    target = root / BK / "Surat Pernyataan Benturan Kepentingan 2025-09-01.pdf"
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as fh:  # a 50 MB scan over SMB arrives in pieces
        for start in range(0, len(data), 6_000):
            fh.write(data[start : start + 6_000])
            fh.flush()
            time.sleep(0.12)
    run.wait_for("5.5.1 Surat pernyataan tidak memiliki benturan kepentingan: kurang -> lengkap")
    assert not any("tidak valid" in line for line in run.lines[2:])


def test_the_watch_recovers_when_its_observer_dies(watching: tuple[Running, Path]) -> None:
    run, root = watching
    assert run.watcher.observer is not None
    run.watcher.observer.stop()  # the observer thread dies, as after an overflow or a bug
    n = run.wait_for("dijalankan ulang")
    write(root / BK / "Surat Pernyataan Benturan Kepentingan 2025-09-01.pdf", pdf_bytes())
    run.wait_for(
        "5.5.1 Surat pernyataan tidak memiliki benturan kepentingan: kurang -> lengkap", start=n
    )


def test_a_root_moved_away_and_back_flips_no_status(watching: tuple[Running, Path]) -> None:
    run, root = watching
    before = dict(run.watcher.summary["by_status"]) if run.watcher.summary else {}
    away = root.with_name("share-away")
    root.rename(away)
    n = run.wait_for("tidak dapat dijangkau")
    time.sleep(1.0)
    away.rename(root)
    m = run.wait_for("kembali dapat dijangkau", start=n)
    time.sleep(1.0)
    assert not any("->" in line for line in run.lines[n:])  # no status flipped, either way
    assert run.watcher.report is not None
    assert run.watcher.summary is not None and run.watcher.summary["by_status"] == before
    write(root / BK / "Surat Pernyataan Benturan Kepentingan 2025-09-01.pdf", pdf_bytes())
    run.wait_for(
        "5.5.1 Surat pernyataan tidak memiliki benturan kepentingan: kurang -> lengkap", start=m
    )


def test_network_shares_are_polled() -> None:
    info = (
        "36 35 98:0 / /mnt/bukti\\040zi rw - cifs //nas/bukti rw\n"
        "37 35 98:1 / /mnt/drive rw - fuse.rclone gdrive: rw\n"
        "38 35 8:1 / / rw - ext4 /dev/sda1 rw\n"
    )
    mounts = parse_mountinfo(info)
    assert [(m.point, m.fstype, m.remote) for m in mounts] == [
        ("/mnt/bukti zi", "cifs", True),
        ("/mnt/drive", "fuse.rclone", True),
        ("/", "ext4", False),
    ]
    found = mount_of(Path("/mnt/bukti zi/1. Manajemen Perubahan"), info)
    assert found is not None and found.fstype == "cifs"


def test_sigterm_ends_the_watch_with_its_last_summary(tmp_path: Path) -> None:
    root = tmp_path / "share"
    shutil.copytree(EXAMPLE_TREE, root)
    cmd = [
        sys.executable,
        "-m",
        "zi_audit",
        "watch",
        str(root),
        "--as-of",
        "2025-11-15",
        "--state",
        str(tmp_path / "s"),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    lines = [proc.stdout.readline(), proc.stdout.readline()]
    assert "87 indikator" in lines[1]
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert re.match(r"\d\d:\d\d:\d\d 87 indikator", out.strip().splitlines()[-1])
    assert "Traceback" not in err


def test_a_copy_that_pauses_is_never_shown_as_invalid(watching: tuple[Running, Path]) -> None:
    """Half a PDF, a pause longer than the settle time, then the rest: it was printed as
    'tidak valid', then 'lengkap'; now only the final verdict is printed."""
    run, root = watching
    data = pdf_bytes()
    target = root / BK / "Surat Pernyataan Benturan Kepentingan 2025-09-01.pdf"
    target.parent.mkdir(parents=True, exist_ok=True)
    start = len(run.lines)
    with open(target, "wb") as fh:
        fh.write(data[: len(data) // 2])
        fh.flush()
        time.sleep(2.0)  # the copy stalls: the file looks settled, and is truncated
        fh.write(data[len(data) // 2 :])
    run.wait_for(
        "5.5.1 Surat pernyataan tidak memiliki benturan kepentingan: kurang -> lengkap",
        start=start,
        timeout=30,
    )
    assert not [line for line in run.lines[start:] if "tidak valid" in line], run.lines[start:]


def test_a_misnamed_file_gets_a_line_with_its_likely_indicator(
    watching: tuple[Running, Path],
) -> None:
    run, root = watching
    start = len(run.lines)
    write(root / BK / "scan_0001.pdf", pdf_bytes())
    n = run.wait_for("scan_0001.pdf: tidak cocok dengan bukti mana pun", start=start)
    assert "mungkin untuk 5.5.1" in run.lines[n]


def test_a_deleted_file_is_the_one_named(watching: tuple[Running, Path]) -> None:
    run, root = watching
    start = len(run.lines)
    next(root.rglob("LHKPN 2025-03-31.pdf")).unlink()
    n = run.wait_for("1.4.4 LHKPN dan LHKASN: lengkap -> belum waktunya", start=start)
    assert "(hilang: LHKPN 2025-03-31.pdf)" in run.lines[n]


def test_forced_polling_does_not_blame_a_network_share(watching: tuple[Running, Path]) -> None:
    run, _ = watching
    if run.watcher.options.polling is None:
        assert "notifikasi sistem berkas" in run.lines[0]
    else:
        assert "--polling" in run.lines[0] and "komputer lain" not in run.lines[0]


# --- what an event costs: counted, not timed ---------------------------------------------


def settled_to_fresh(run: Running, root: Path, rules: RuleSet, state: Path) -> None:
    """Wait until the watch shows what a scan with an empty state directory shows."""
    fresh_pipeline = Pipeline(
        root, rules, ScanOptions(as_of=dt.date(2025, 11, 15)), state=prepare_state_dir(state)
    )
    expected = dict(document.build(fresh_pipeline.run()))
    expected.pop("stats")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        report = run.watcher.report
        shown = dict(document.build(report)) if report is not None else {}
        shown.pop("stats", None)
        if shown == expected:
            return
        time.sleep(0.1)
    raise AssertionError(f"the watch never matched a fresh scan; printed {run.lines}")


def rematched_since(run: Running, start: int) -> int:
    return sum(w.rematched for w in run.watcher.walks[start:])


def visible_files(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*") if p.is_file() and not is_clutter_file(p.name))


def test_a_renamed_indicator_folder_rematches_its_own_files_only(
    watching: tuple[Running, Path], rules: RuleSet, tmp_path: Path
) -> None:
    run, root = watching
    start = len(run.watcher.walks)
    monev = next(root.rglob("1.3.2 *"))
    inside = visible_files(monev)
    assert inside >= 3
    monev.rename(monev.with_name("1.3.2 Monitoring dan evaluasi"))
    settled_to_fresh(run, root, rules, tmp_path / "fresh")
    assert rematched_since(run, start) == inside
    assert run.watcher.walks[start].files == run.watcher.walks[0].files


def test_a_pasted_tree_rematches_that_tree_only(
    watching: tuple[Running, Path], rules: RuleSet, tmp_path: Path
) -> None:
    run, root = watching
    start = len(run.watcher.walks)
    staged = tmp_path / "staged" / "Rapat Monev November 2025"
    for name in ("Undangan.pdf", "Daftar Hadir.pdf", "Notulen.pdf"):
        write(staged / "Dokumen" / name, pdf_bytes("D:20251110090000+07'00'"))
    write(staged / "Foto" / "IMG_0001.jpg", b"not evidence")
    shutil.copytree(staged, root / MONEV / staged.name)
    settled_to_fresh(run, root, rules, tmp_path / "fresh")
    assert rematched_since(run, start) == 4


def test_a_delete_rematches_nothing(
    watching: tuple[Running, Path], rules: RuleSet, tmp_path: Path
) -> None:
    run, root = watching
    start = len(run.watcher.walks)
    next(root.rglob("LHKPN 2025-03-31.pdf")).unlink()
    settled_to_fresh(run, root, rules, tmp_path / "fresh")
    assert len(run.watcher.walks) > start
    assert rematched_since(run, start) == 0
    assert sum(w.evaluated for w in run.watcher.walks[start:]) == 1  # 1.4.4 alone


def test_the_watch_recovers_when_its_event_reader_dies(watching: tuple[Running, Path]) -> None:
    """watchdog reads inotify (or polls) in a thread of its own; when that thread dies, the
    observer still looks alive and no event comes. Here it is killed for real: an exception
    is raised inside it (as a bug in watchdog, or a warning turned error, would)."""
    import ctypes

    run, root = watching
    kinds = ("InotifyFD", "PollingEmitter")
    reader = next(t for t in threading.enumerate() if type(t).__name__ in kinds)
    assert reader.ident is not None
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(reader.ident), ctypes.py_object(SystemError)
    )
    write(root / "Unggahan" / "pemicu.txt", b"x")  # an event wakes it: the exception lands
    reader.join(10)
    assert not reader.is_alive()
    n = run.wait_for("dijalankan ulang")
    write(root / BK / "Surat Pernyataan Benturan Kepentingan 2025-09-01.pdf", pdf_bytes())
    run.wait_for(
        "5.5.1 Surat pernyataan tidak memiliki benturan kepentingan: kurang -> lengkap", start=n
    )


def _lke_block(page: str) -> str:
    """The LKE section of a page: from its heading to the next one."""
    start = page.index('<div class="lke">')
    return page[start : page.index("<h2>", start)]


def test_the_watch_page_shows_what_the_report_shows(tmp_path: Path) -> None:
    """One document builder: the team's Hasil values and the owners reach the watch page as
    they reach `report --format html` for the same files."""
    root = tmp_path / "share"
    shutil.copytree(EXAMPLE_TREE, root)
    state, page = tmp_path / "s", tmp_path / "watch.html"
    config = tmp_path / "zi-audit.yaml"
    config.write_text(
        f"root: {root}\nstate: {state}\n"
        "lke: {ipak: 3.6, ipkp: 3.5, capaian_kinerja: B}\n"
        'owners: {"1": {name: Pokja Satu, email: satu@kpu.go.id}}\n'
    )
    code, _, err = run_cli("scan", "--config", str(config), "--as-of", "2025-11-15")
    assert code == 0, err
    code, report_page, err = run_cli("report", "--config", str(config), "--format", "html")
    assert code == 0, err
    cmd = [sys.executable, "-m", "zi_audit", "watch", "--config", str(config)]
    cmd += ["--as-of", "2025-11-15", "--html", str(page)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not page.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        watch_page = page.read_text("utf-8")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=20)
    assert "Pokja Satu" in report_page and "Pokja Satu" in watch_page
    assert _lke_block(watch_page) == _lke_block(report_page)
    assert "/100" in _lke_block(watch_page)  # the total, which needs the Hasil values


def test_a_file_of_no_accepted_type_gets_a_line_and_lines_carry_their_time(
    watching: tuple[Running, Path],
) -> None:
    """A .txt dropped into an indicator folder got no line, though the page listed it as
    unmatched; and no line said when (#20 point 7)."""
    run, root = watching
    start = len(run.lines)
    write(root / BK / "catatan rapat.txt", b"isi")
    n = run.wait_for("catatan rapat.txt: tidak cocok dengan bukti mana pun", start=start)
    assert re.match(r"\d\d:\d\d:\d\d ", run.lines[n])
