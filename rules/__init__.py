"""The bundled rule files. Installed as the data package `zi_audit.bundled_rules`.

They live here once, at the top of the repository where a Tim ZI looks for them;
pyproject.toml maps this folder into the package, so no copy or symlink is needed.
"""
