"""`zi-audit watch`: keep the picture current while the team uploads, for days on end.

Design, from how watchdog and shares fail (see shared/pitfalls.md):
- event handlers only put paths on a queue; all work happens on the main thread, since an
  exception in a handler silently kills watchdog's dispatcher;
- network and FUSE shares are polled (inotify cannot see other machines' writes);
- a burst of events becomes one update once the tree has been quiet briefly, and a file
  whose size or time still moves is waited for (a copy in progress);
- each update rescans with the verdict cache, so only changed files are opened again,
  and prints only what changed;
- a root that vanishes or a tree that mostly disappears at once is an outage, not lost
  evidence: nothing is shown until the share is back;
- the observer and its emitters are checked on a timer, and a dead one is restarted with
  a full rescan; Ctrl-C or SIGTERM ends with the last summary.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from zi_audit.report import render_html as report_html
from zi_audit.report import render_json as report_json
from zi_audit.state.atomic import atomic_write
from zi_audit.i18n import t
from zi_audit.evaluate.model import STATUSES, Report
from zi_audit.walk.mounts import mount_of
from zi_audit.rules.plan import RuleSet
from zi_audit.pipeline import ScanOptions, run_scan
from zi_audit.timezones import today

QUIET = 0.25  # seconds without events before a burst is handled
SETTLE = 0.25  # seconds between the two stats that say a file stopped growing
HEALTH = 1.0  # seconds between checks that the observer is alive and the root is still there


class _Enqueue(FileSystemEventHandler):
    """Only queues paths: nothing here may raise (watchdog #427, #793)."""

    def __init__(self, q: queue.Queue[str]) -> None:
        self.q = q

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        self.q.put(os.fsdecode(event.src_path))
        dest = getattr(event, "dest_path", "")
        if dest:
            self.q.put(os.fsdecode(dest))


@dataclass
class WatchOptions:
    scan: ScanOptions
    polling: float | None = None  # seconds; None: decide from the mount
    html: Path | None = None
    shrink_threshold: float = 1 / 3
    follow_today: bool = True  # no --as-of: deadlines move on with the calendar over days


def changes_between(old: Report, new: Report, lang: str) -> list[str]:
    """One line per evidence item whose status changed, with the file that changed it."""
    before = {i.evidence.key: i for r in old.indicators for i in r.items}
    lines = []
    for res in new.indicators:
        for item in res.items:
            prev = before.get(item.evidence.key)
            if prev is None or prev.status == item.status:
                continue
            newest = max(item.files, key=lambda f: f.facts.mtime, default=None) or max(
                prev.files, key=lambda f: f.facts.mtime, default=None
            )
            why = f" ({newest.path.rpartition('/')[2]})" if newest else ""
            lines.append(
                f"{res.indicator.id} {item.evidence.name}: "
                f"{t('status.' + prev.status, lang)} -> {t('status.' + item.status, lang)}{why}"
            )
    return lines


def summary(report: Report, lang: str) -> str:
    counts = ", ".join(
        f"{report.by_status[s]} {t('status.' + s, lang)}" for s in STATUSES if report.by_status[s]
    )
    return f"{t('head.indicators', lang, n=len(report.indicators))}: {counts}"


class Watcher:
    def __init__(
        self, root: Path, rules: RuleSet, options: WatchOptions, out: Callable[[str], None]
    ) -> None:
        self.root, self.rules, self.options, self.out = root, rules, options, out
        self.lang = options.scan.lang
        self.events: queue.Queue[str] = queue.Queue()
        self.observer: BaseObserver | None = None
        self.report: Report | None = None
        self.outage = False
        self.updates = 0
        self.stop = threading.Event()
        self.ready = threading.Event()  # set once the first scan is done and events are followed
        self.thread_errors: list[str] = []
        mount = mount_of(root)
        self.polling = options.polling
        if self.polling is None and mount is not None and mount.remote:
            self.polling = 30.0
        self.mount = mount
        self.root_id: tuple[int, int] | None = None

    # --- observer ---------------------------------------------------------------------
    def mode_line(self) -> str:
        fs = self.mount.fstype if self.mount else "?"
        if self.polling:
            return t("watch.mode_poll", self.lang, seconds=f"{self.polling:g}", fs=fs)
        return t("watch.mode_native", self.lang, fs=fs)

    def _start_observer(self) -> None:
        observer = PollingObserver(timeout=self.polling) if self.polling else Observer()
        observer.schedule(_Enqueue(self.events), str(self.root), recursive=True)
        observer.daemon = True
        observer.start()
        self.observer = observer
        self.root_id = self._root_id()

    def _stop_observer(self) -> None:
        if self.observer is not None:
            with contextlib.suppress(Exception):
                self.observer.stop()
                self.observer.join(5)
            self.observer = None

    def _root_id(self) -> tuple[int, int] | None:
        try:
            st = self.root.stat()
        except OSError:
            return None
        return (st.st_dev, st.st_ino)

    def observer_healthy(self) -> bool:
        obs = self.observer
        if obs is None or not obs.is_alive():
            return False
        return all(e.is_alive() for e in list(obs.emitters))

    # --- scanning -----------------------------------------------------------------------
    def _scan(self) -> Report | None:
        if not self.root.is_dir():
            return None
        if self.options.follow_today:
            self.options.scan.as_of = today(self.options.scan.tz)
        try:
            report = run_scan(self.root, self.rules, self.options.scan)
        except OSError:
            return None
        if report.files_seen == 0:
            return None
        if self.report is not None and report.files_seen < self.report.files_seen * (
            1 - self.options.shrink_threshold
        ):
            return None
        return report

    def _publish(self, report: Report) -> None:
        if self.options.html is not None:
            doc = report_json.to_dict(report)
            atomic_write(self.options.html, report_html.render(doc, self.lang, refresh=5))

    def refresh(self, reason: str | None = None) -> None:
        """Rescan and print what changed; enter or leave the outage state."""
        new = self._scan()
        if new is None:
            if not self.outage:
                self.outage = True
                self.out(t("watch.outage", self.lang, root=self.root))
            return
        if self.outage:
            self.outage = False
            self.out(t("watch.back", self.lang))
        if reason:
            self.out(reason)
        old, self.report = self.report, new
        self.updates += 1
        if old is not None:
            for line in changes_between(old, new, self.lang):
                self.out(line)
        self._publish(new)

    # --- main loop ----------------------------------------------------------------------
    def _settled(self, paths: set[str]) -> bool:
        """True when no file among `paths` changed size or time across SETTLE seconds."""

        def stats() -> dict[str, tuple[int, int] | None]:
            out: dict[str, tuple[int, int] | None] = {}
            for p in paths:
                try:
                    st = os.stat(p)
                    out[p] = (st.st_size, st.st_mtime_ns)
                except OSError:
                    out[p] = None
            return out

        first = stats()
        if self.stop.wait(SETTLE):
            return True
        return stats() == first

    def _drain(self, timeout: float) -> set[str]:
        paths: set[str] = set()
        until = time.monotonic() + timeout
        while not paths and not self.stop.is_set():
            try:  # short slices, so that Ctrl-C and SIGTERM are answered at once
                paths.add(self.events.get(timeout=min(0.1, max(0.0, until - time.monotonic()))))
            except queue.Empty:
                if time.monotonic() >= until:
                    return paths
        deadline = time.monotonic() + QUIET
        while not self.stop.is_set():
            try:
                paths.add(self.events.get(timeout=max(0.0, deadline - time.monotonic())))
                deadline = time.monotonic() + QUIET  # still busy: wait for the burst to end
            except queue.Empty:
                break
        return paths

    def run(self) -> None:
        previous_hook = threading.excepthook

        def hook(args: threading.ExceptHookArgs) -> None:
            self.thread_errors.append(f"{args.exc_type.__name__}: {args.exc_value}")

        threading.excepthook = hook
        try:
            self.out(self.mode_line())
            self.refresh()
            if self.report is not None:
                self.out(summary(self.report, self.lang))
            if not self.outage:
                self._start_observer()
            self.ready.set()
            last_health = time.monotonic()
            while not self.stop.is_set():
                paths = self._drain(timeout=min(HEALTH, self.polling or HEALTH))
                if paths:
                    while not self._settled(paths) and not self.stop.is_set():
                        paths |= self._drain(timeout=0)
                    self.refresh()
                if self.outage and self.root.is_dir():
                    self._stop_observer()
                    self.refresh()
                    if not self.outage:
                        self._start_observer()
                if time.monotonic() - last_health >= HEALTH:
                    last_health = time.monotonic()
                    if not self.outage and self._root_id() != self.root_id:
                        # inotify says nothing when the watched root itself is moved or unmounted.
                        self._stop_observer()
                        self.refresh()
                        if not self.outage:
                            self._start_observer()
                    elif not self.outage and not self.observer_healthy():
                        self._stop_observer()
                        if self.root.is_dir():
                            self._start_observer()
                            self.refresh(t("watch.restarted", self.lang))
                        else:
                            self.refresh()
        finally:
            self._stop_observer()
            threading.excepthook = previous_hook
            if self.report is not None:
                self.out(summary(self.report, self.lang))


def install_signal_handlers(watcher: Watcher) -> None:
    """SIGTERM (systemd stop, kill) ends the watch as cleanly as Ctrl-C."""

    def stop(signum: int, frame: object) -> None:
        watcher.stop.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
