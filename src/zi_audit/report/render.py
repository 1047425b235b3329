"""One entry point for every format, so commands never pick a renderer themselves.

Each renderer is imported when its format is asked for: a scan that writes JSON does not
load the HTML page's charts and styles.
"""

from __future__ import annotations

from zi_audit.core.schema import ReportDoc

FORMATS = ("text", "json", "html", "md", "csv")


def render(doc: ReportDoc, fmt: str, lang: str, *, show_all: bool = False) -> str:
    if fmt == "text":
        from zi_audit.report import render_text

        return render_text.render(doc, lang, show_all=show_all)
    if fmt == "json":
        from zi_audit.report import render_json

        return render_json.render(doc)
    if fmt == "html":
        from zi_audit.report import render_html

        return render_html.render(doc, lang)
    if fmt == "md":
        from zi_audit.report import render_md

        return render_md.render(doc, lang)
    if fmt == "csv":
        from zi_audit.report import render_csv

        return render_csv.render(doc, lang)
    raise ValueError(f"unknown report format {fmt!r}")
