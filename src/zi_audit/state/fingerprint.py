"""What a memo in the state directory is valid for: these rules, this zi-audit.

The fingerprint must be the same in every process that loads the same rule file, or a
memo kept for the next night would never be used: `repr()` of a rule set is not, since
the order of a frozenset's members follows string hashing, which differs per process
(PYTHONHASHSEED). Sets are therefore written sorted.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import os

from zi_audit import __version__
from zi_audit.rules.model import RuleSet

# Bump when walking or matching changes what it finds for the same names (clutter lists,
# the matcher, the layout, suggestions), so that memos made by the old code are not reused
# by a checkout whose version number did not move. inspection/cache.py has JUDGES_VERSION.
MEMO_VERSION = "5"  # 5: below a recognised parent a folder's own number decides


_FIELDS: dict[type, tuple[str, ...]] = {}  # a dataclass's field names, looked up once
_PLAIN = (str, int, float, bool, dt.date, dt.time, type(None))


def _canon(value: object) -> str:
    kind = type(value)
    if kind in _PLAIN:
        return repr(value)
    names = _FIELDS.get(kind)
    if names is None and dataclasses.is_dataclass(value) and not isinstance(value, type):
        # The fields a dataclass is compared by: one left out of its equality is derived
        # from the others (RuleSet's indicators) or a cache.
        compared = [f.name for f in dataclasses.fields(value) if f.compare]
        names = _FIELDS[kind] = tuple(compared)
    elif names is None and isinstance(value, tuple) and hasattr(kind, "_fields"):
        # A record (a NamedTuple) is written as a dataclass is, by its fields' names: the
        # rules' records were dataclasses until round 15, and their text must not move.
        names = _FIELDS[kind] = kind._fields
    if names is not None:
        fields = (f"{name}={_canon(getattr(value, name))}" for name in names)
        return f"{kind.__name__}({','.join(fields)})"
    if isinstance(value, (frozenset, set)):
        return "{" + ",".join(sorted(_canon(v) for v in value)) + "}"
    if isinstance(value, (tuple, list)):
        return "[" + ",".join(_canon(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(sorted(f"{_canon(k)}:{_canon(v)}" for k, v in value.items())) + "}"
    if isinstance(value, (str, int, float, bool, dt.date, dt.time)):
        return repr(value)  # a subclass of a plain type (an enum of str…)
    return f"{kind.__name__}:{value!r}"


# The last rule set written out, and its text: each run asks for its memos' fingerprints
# (folders, suggestions) with the same rules, and writing them out takes 50 ms.
_last: tuple[RuleSet, str] | None = None


def fingerprint(rules: RuleSet, *extra: str) -> str:
    """A digest of the zi-audit version, the rules and `extra` (an ignore file's text)."""
    global _last
    if _last is None or _last[0] is not rules:
        _last = (rules, _canon(rules))
    text = "\n".join((__version__, MEMO_VERSION, _last[1], *extra))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def canonical(value: object) -> str:
    """`value` written out the same way in every process (sets sorted, dataclasses and
    NamedTuples by field): for a key made of what the team tells zi-audit beside the rules."""
    return _canon(value)


def package_print(package: str | None = None) -> str:
    """A digest of zi-audit's version and of every file of the package (`package`: its
    folder, this one's by default): a report kept whole was made by all of them, so any
    change to any of them makes it another code's. Each file counts by its path, size and
    modification time, the test by which CPython reuses a module's byte code: reading the
    146 modules cost each run 3-4 ms, their stats under 1 ms. Byte code is left out."""
    h = hashlib.sha256(__version__.encode())
    top = package or os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    for folder, subfolders, files in os.walk(top):
        subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
        rel = os.path.relpath(folder, top)
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            with contextlib.suppress(OSError):
                st = os.stat(os.path.join(folder, name))
                h.update(f"{rel}/{name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode(errors="replace"))
    return h.hexdigest()
