"""zi-audit: audit a Zona Integritas evidence share against its Rencana Aksi."""

__version__ = "0.1.0"
