"""`zi-audit watch`: keep the picture current while the team uploads, for days on end.

Design, from how watchdog and network shares fail in practice:
- event handlers only put paths on a queue; all work happens on the main thread, since an
  exception in a handler silently kills watchdog's dispatcher;
- network and FUSE shares are polled (inotify cannot see other machines' writes);
- a burst of events becomes one update once the tree has been quiet briefly, and a file
  whose size or time still moves is waited for (a copy in progress);
- an update lists again only the folders its events named (and those whose time moved),
  matches only names new to their folder, opens only changed files, and prints only what
  changed: a renamed folder or a pasted tree costs its own files, not the share's;
- a root that vanishes or a tree that mostly disappears at once is an outage, not lost
  evidence: nothing is shown until the share is back;
- the observer and its emitters are checked on a timer, and a dead one is restarted with
  a full rescan; Ctrl-C or SIGTERM ends with the last summary.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import os
import queue
import signal
import threading
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from zi_audit.core.errors import ZiAuditError
from zi_audit.core.schema import SummaryDoc
from zi_audit.core.statuses import STATUSES
from zi_audit.deliver.watch_lines import changes_between
from zi_audit.evaluate.model import Report
from zi_audit.i18n import t
from zi_audit.inspection.facts import ContentInspector
from zi_audit.pipeline import Pipeline, WalkCounts
from zi_audit.report import document, render_html
from zi_audit.report.document import DocInputs, done_text
from zi_audit.util.atomic import atomic_write
from zi_audit.util.textnorm import display
from zi_audit.util.timezones import clock
from zi_audit.walk import health
from zi_audit.walk.mounts import mount_of

QUIET = 0.25  # seconds without events before a burst is handled
SETTLE = 0.25  # seconds between the two stats that say a file stopped growing
# A copy that pauses (a slow share, a phone uploading) looks settled between bursts and
# is judged truncated. A file judged unusable while younger than this is not reported:
# the picture waits until it has been left alone this long, then judges it again.
COPY_GRACE = 10.0
# A share returning from an outage (a restore, a remount) is believed once it is steady.
RETURN_SETTLE = 3.0  # seconds its file count must hold
RETURN_FULL = 0.95  # of the files it held before the outage
RETURN_PATIENCE = 60.0  # then a smaller share is accepted (files really were deleted)
RECENT = 15  # changes the watch page lists
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


@dataclass(frozen=True)
class WatchOptions:
    polling: float | None = None  # seconds; None: decide from the mount
    html: Path | None = None
    shrink_threshold: float = health.DEFAULT_SHRINK
    inputs: DocInputs = field(default_factory=DocInputs)  # as the nightly run has them


def summary(s: SummaryDoc, lang: str) -> str:
    by = s["by_status"]
    counts = ", ".join(f"{by[k]} {t('status.' + k, lang)}" for k in STATUSES if by[k])
    return f"{t('head.indicators', lang, n=s['indicators'])}: {done_text(s, lang)} — {counts}"


class Watcher:
    def __init__(
        self, pipeline: Pipeline, options: WatchOptions, out: Callable[[str], None]
    ) -> None:
        self.pipeline, self.options, self.out = pipeline, options, out
        self.root = root = pipeline.root
        self.lang = pipeline.options.lang
        self.events: queue.Queue[str] = queue.Queue()
        self.observer: BaseObserver | None = None
        self.report: Report | None = None
        # The headline figures only: the whole document (10-30 MB on a big share) lives while
        # an update is printed and published, not between updates.
        self.summary: SummaryDoc | None = None
        self.outage = False
        self.why: health.Outage | None = None  # why the share does not count as there
        self.recheck_at: float | None = None  # time.time() to judge held files again
        self._back: tuple[int, float] | None = None  # (files, since) of a returning share
        self.walks: list[WalkCounts] = []  # what each scan redid: tests count these
        self.recent: collections.deque[str] = collections.deque(maxlen=RECENT)
        self.stop = threading.Event()
        self.ready = threading.Event()  # set once the first scan is done and events are followed
        self.thread_errors: list[str] = []
        self._errors_seen = 0  # thread errors the health check has acted on
        mount = mount_of(root)
        self.polling = options.polling
        if self.polling is None and mount is not None and mount.remote:
            self.polling = 30.0
        self.mount = mount
        self.root_id: tuple[int, int] | None = None
        if isinstance(pipeline.inspect, ContentInspector):
            pipeline.inspect.keep_workers = True  # started once, not at every update

    # --- observer ---------------------------------------------------------------------
    def mode_line(self) -> str:
        fs = self.mount.fstype if self.mount else "?"
        if self.polling and self.options.polling is not None:  # asked for, whatever the disk
            return t("watch.mode_forced", self.lang, seconds=f"{self.polling:g}", fs=fs)
        if self.polling:
            return t("watch.mode_poll", self.lang, seconds=f"{self.polling:g}", fs=fs)
        return t("watch.mode_native", self.lang, fs=fs)

    def _start_observer(self) -> None:
        # watchdog 7 warns when a new folder's watch is added twice (its own event and its
        # parent's rescan race); by its docs the second simply replaces the first. Shown to
        # a user it is noise; under `-W error` it would kill the inotify thread.
        warnings.filterwarnings("ignore", "Callback with id .* already exists", RuntimeWarning)
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
        """False when the observer or an emitter died, or when any thread died since the
        last check: watchdog's inotify reader is a thread of its own, and when it dies the
        observer and its emitters still look alive while no event comes any more."""
        if len(self.thread_errors) > self._errors_seen:
            self._errors_seen = len(self.thread_errors)
            return False
        obs = self.observer
        if obs is None or not obs.is_alive():
            return False
        return all(e.is_alive() for e in list(obs.emitters))

    # --- scanning -----------------------------------------------------------------------
    def _folders_of(self, paths: Iterable[str]) -> set[str]:
        """The root-relative folders events named: each path's folder, and the path
        itself in case it is (or was) a folder."""
        out: set[str] = set()
        root = str(self.root)
        for p in paths:
            rel = os.path.relpath(p, root).replace(os.sep, "/")
            if rel == "." or rel.startswith("../") or rel == "..":
                out.add("")
                continue
            out.add(rel)
            out.add(rel.rpartition("/")[0])
        return out

    def _scan(self, paths: Iterable[str] = ()) -> Report | None:
        """A fresh report, or None while the share is not really there (walk/health.py);
        `self.why` then says why, in the nightly run's words."""
        seen = health.Observation.of(self.root)
        self.why = health.before_scan(seen)
        if self.why is not None:
            return None
        try:
            report = self.pipeline.run(relist=self._folders_of(paths))
        except (OSError, ZiAuditError):
            self.why = health.Outage("missing")
            return None
        self.walks.append(self.pipeline.last_walk)
        if len(self.walks) > 1000:  # a watch runs for days: keep the recent ones
            del self.walks[:500]
        # Watch follows a path, not a device: the share may be remounted under it.
        baseline = health.Baseline(self.report.files_seen) if self.report else None
        shrink = self.options.shrink_threshold
        self.why = health.after_scan(seen, report.files_seen, baseline, shrink=shrink)
        return None if self.why is not None else report

    def say(self, line: str) -> str:
        """Print a line with the time it was said on the plan's clock; return it so."""
        stamped = f"{dt.datetime.now(self.pipeline.rules.zone):%H:%M:%S} {line}"
        self.out(stamped)
        return stamped

    def _publish(self, report: Report) -> None:
        """The summary kept between updates; the page a browser keeps open, if asked for:
        when it was last brought up to date (it refreshes itself every 5 s), and the
        changes the terminal showed, newest first. The whole document is built only for
        that page."""
        if self.options.html is None:
            self.summary = document.summary_of(report)
            return
        doc = document.build(report, self.options.inputs)
        self.summary = doc["summary"]
        live = render_html.Live(clock(self.pipeline.rules.zone), tuple(self.recent))
        atomic_write(self.options.html, render_html.render(doc, self.lang, refresh=5, live=live))

    def refresh(self, reason: str | None = None, paths: Iterable[str] = ()) -> None:
        """Rescan and print what changed; enter or leave the outage state. `paths`: what
        the events named, listed again whatever their folders' times say."""
        new = self._scan(paths)
        if new is None:
            if not self.outage:
                self.outage = True
                reason = health.describe(self.why, self.root, self.lang) if self.why else ""
                root = display(str(self.root))
                self.say(t("watch.outage", self.lang, root=root) + f" ({reason})")
            return
        if self.outage:
            if not self._stable_again(new):
                return  # a share being restored: say nothing until it has settled
            self.outage = False
            self._back = None
            self.say(t("watch.back", self.lang))
        if reason:
            self.say(reason)
        if self.report is not None:
            wait = _young_and_unusable(new)
            if wait is not None:
                self.recheck_at = wait  # keep the last picture until the copy is done
                return
        self.recheck_at = None
        old, self.report = self.report, new
        if old is not None:
            for line in changes_between(old, new, self.lang):
                self.recent.appendleft(self.say(line))
        del old  # not held while the next picture is drawn
        self._publish(new)

    def _stable_again(self, new: Report) -> bool:
        """A share coming back leaves the outage only once its file count has not moved
        for RETURN_SETTLE seconds and it is back to its size (or has stayed smaller for
        RETURN_PATIENCE seconds: files really deleted meanwhile)."""
        now = time.monotonic()
        if self._back is None or self._back[0] != new.files_seen:
            self._back = (new.files_seen, now)
            return False
        steady = now - self._back[1]
        before = self.report.files_seen if self.report is not None else 0
        full = new.files_seen >= before * RETURN_FULL
        return steady >= RETURN_SETTLE and (full or steady >= RETURN_PATIENCE)

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
            self.say(self.mode_line())
            self.refresh()
            if self.summary is not None:
                self.say(summary(self.summary, self.lang))
            if not self.outage:
                self._start_observer()
            self.ready.set()
            last_health = time.monotonic()
            while not self.stop.is_set():
                paths = self._drain(timeout=min(HEALTH, self.polling or HEALTH))
                if paths:
                    while not self._settled(paths) and not self.stop.is_set():
                        paths |= self._drain(timeout=0)
                    self.refresh(paths=paths)
                if self.recheck_at is not None and time.time() >= self.recheck_at:
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
            if isinstance(self.pipeline.inspect, ContentInspector):
                self.pipeline.inspect.close()
            threading.excepthook = previous_hook
            if self.summary is not None:
                self.say(summary(self.summary, self.lang))


def _young_and_unusable(report: Report) -> float | None:
    """When to judge again, if some file is unusable and was written only just now."""
    now = time.time()
    young = [
        f.facts.mtime
        for r in report.results()
        for item in r.items
        for f in item.files
        if not f.facts.valid and f.facts.mtime > now - COPY_GRACE
    ]
    return max(young) + COPY_GRACE if young else None


def install_signal_handlers(watcher: Watcher) -> None:
    """SIGTERM (systemd stop, kill) ends the watch as cleanly as Ctrl-C."""

    def stop(signum: int, frame: object) -> None:
        watcher.stop.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
