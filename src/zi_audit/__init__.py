"""zi-audit: audit a Zona Integritas evidence share against its Rencana Aksi."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("zi-audit")
except PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0+unknown"
