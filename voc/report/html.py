"""Render a :class:`~voc.report.model.ReportModel` as a self-contained Japanese HTML page."""

from __future__ import annotations

from voc.report.model import ReportModel

__all__ = ["render_html"]

REASONS_JA = {
    "ragged_row": "列数が合わない行",
    "empty_text": "テキストが空",
    "non_answer": "「特になし」などの無回答",
}


def render_html(model: ReportModel) -> str:
    """``index.html``: theme table with size, share, keywords and quotes (no script, no network)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("voc.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("index.html.j2").render(m=model, reasons=REASONS_JA)
