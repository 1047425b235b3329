"""zi-audit: audit a Zona Integritas evidence share against its Rencana Aksi."""

# The one place the version is written (pyproject.toml reads it from here): looking it up
# in the installed metadata cost every command 35 ms of start-up.
__version__ = "0.1.0"
