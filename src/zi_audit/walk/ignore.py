"""What a share carries that is never evidence, and the team's own ignore file.

The built-in clutter (lock files, NAS thumbnail and recycle folders, partial
transfers, version control) is checked with set lookups and string prefixes,
not regexes: it runs for every entry of a 100,000-file walk. The user's
`.zi-auditignore` (gitignore syntax) is read with pathspec, the library git
tooling uses, only when the file exists.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported by the shares that have an ignore file, not by every scan
    import pathspec

IGNORE_FILE = ".zi-auditignore"

CLUTTER_FILES = frozenset(
    {
        "thumbs.db",
        "ehthumbs.db",
        "ehthumbs_vista.db",
        "desktop.ini",
        ".ds_store",
        ".directory",
        ".localized",
        "icon\r",
        ".picasa.ini",
        "picasa.ini",
        ".dropbox",
        ".dropbox.attr",
        IGNORE_FILE,
        "baca-saya.txt",  # the notes `zi-audit init` leaves in each indicator folder
        "read-me.txt",
    }
)
CLUTTER_FILE_PREFIXES = (
    "~$",
    ".~lock.",
    "._",
    "~wrl",
    ".fuse_hidden",
    ".nfs",
    ".goutputstream-",
    ".syncthing.",
)
CLUTTER_FILE_SUFFIXES = (
    ".crdownload",
    ".part",
    ".partial",
    ".download",
    ".opdownload",
    ".filepart",
    ".!ut",
    ".tmp",
    ".temp",
    ".swp",
    ".driveupload",
    ".drivedownload",
    "~",
)
CLUTTER_DIRS = frozenset(
    {
        "@eadir",
        "#recycle",
        "#snapshot",
        "@recycle",
        "@recently-snapshot",
        ".@__thumb",
        "@__thumb",
        ".@upload_cache",
        "@tmp",
        "$recycle.bin",
        "recycler",
        "recycled",
        "system volume information",
        ".trashes",
        ".trash",
        ".spotlight-v100",
        ".fseventsd",
        ".temporaryitems",
        ".documentrevisions-v100",
        "__macosx",
        ".thumbnails",
        ".git",
        ".svn",
        ".hg",
        ".bzr",
        "cvs",
        ".sync",
        ".stfolder",
        ".stversions",
        ".dropbox.cache",
    }
)
CLUTTER_DIR_PREFIXES = (".trash-", ".tmp.drive", ".~")


def is_clutter_file(name: str) -> bool:
    low = name.casefold()
    return (
        low in CLUTTER_FILES
        or low.startswith(CLUTTER_FILE_PREFIXES)
        or low.endswith(CLUTTER_FILE_SUFFIXES)
    )


def is_clutter_dir(name: str) -> bool:
    low = name.casefold()
    return low in CLUTTER_DIRS or low.startswith(CLUTTER_DIR_PREFIXES)


class IgnoreRules:
    """Built-in clutter plus the team's ignore file (paths relative to the root, `/`-separated)."""

    def __init__(
        self,
        spec: pathspec.PathSpec[Any] | None = None,
        source: str | None = None,
        text: str = "",
    ) -> None:
        self.spec = spec
        self.source = source
        self.text = text  # the patterns as read: a memo of the walk is valid only for them

    @classmethod
    def for_root(cls, root: Path, extra: Path | None = None) -> IgnoreRules:
        lines: list[str] = []
        sources = []
        for path in (root / IGNORE_FILE, extra):
            if path is None:
                continue
            try:
                lines += path.read_text(encoding="utf-8", errors="replace").splitlines()
                sources.append(str(path))
            except FileNotFoundError:
                if path is extra:
                    raise
            except OSError:
                continue
        if not any(line.strip() and not line.startswith("#") for line in lines):
            return cls()
        import pathspec

        spec = pathspec.GitIgnoreSpec.from_lines(lines)
        return cls(spec, ", ".join(sources), "\n".join(lines))

    def skip_dir(self, rel: str, name: str) -> bool:
        if is_clutter_dir(name):
            return True
        return self.spec is not None and self.spec.match_file(rel + "/")

    def skip_file(self, rel: str, name: str) -> bool:
        if is_clutter_file(name):
            return True
        return self.spec is not None and self.spec.match_file(rel)
