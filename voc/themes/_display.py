"""How a :class:`~voc.themes.ThemeModel` and a theme table show in Jupyter: plain HTML, escaped.

The estimator's own display (``ThemeModel._repr_html_``), so the themes stage does not depend on
the notebook editor (:mod:`voc.edit` re-exports these and builds on them)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from voc.themes._model import ThemeModel

__all__ = ["CSS", "escape", "model_html", "theme_table_html"]

CSS = (
    "<style>.voc-t{border-collapse:collapse;font-size:13px}.voc-t td,.voc-t th{padding:3px 8px;"
    "border-bottom:1px solid #ddd;text-align:left;vertical-align:top}.voc-bar{background:#4c72b0;height:9px}"
    ".voc-kw{display:inline-block;background:#eef2f8;border-radius:3px;padding:0 4px;margin:1px}</style>"
)



def escape(value: Any) -> str:
    return html.escape(str(value))


def theme_table_html(table: pd.DataFrame, *, caption: str = "") -> str:
    """HTML for a theme table (columns ``theme_id``, ``label``, ``size``, ``share``, ``keywords``, and
    optionally ``note``): a size bar per theme and keywords as chips."""
    biggest = max(1, int(table["size"].max())) if len(table) else 1
    rows = []
    for r in table.itertuples(index=False):
        kws = r.keywords if isinstance(r.keywords, (list, tuple)) else str(r.keywords).split("、")
        chips = "".join(f'<span class="voc-kw">{escape(k)}</span>' for k in kws if k)
        bar = f'<div class="voc-bar" style="width:{100 * r.size / biggest:.0f}px"></div>'
        note = escape(getattr(r, "note", "") or "")
        rows.append(
            f"<tr><td>{r.theme_id}</td><td><b>{escape(r.label)}</b></td><td>{r.size:,}</td>"
            f"<td>{r.share:.1%}{bar}</td><td>{chips}</td><td>{note}</td></tr>"
        )
    cap = f"<caption style='text-align:left'>{escape(caption)}</caption>" if caption else ""
    head = "<tr><th>ID</th><th>テーマ</th><th>件数</th><th>割合</th><th>キーワード</th><th>メモ</th></tr>"
    return f'{CSS}<table class="voc-t">{cap}<thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def model_html(model: ThemeModel) -> str:
    """Rich HTML of a :class:`~voc.themes.ThemeModel`: its parameters and, once fitted, a table of
    its themes (size, share, keywords). Used by ``ThemeModel._repr_html_``."""
    params = ", ".join(f"{k}={v!r}" for k, v in model.get_params(deep=False).items() if k != "tokenizer")
    if not hasattr(model, "keywords_"):
        return f"<p><b>ThemeModel</b> (not fitted) <code>{escape(params)}</code></p>"
    import numpy as np

    n_un = int((np.asarray(model.labels_) < 0).sum())
    head = (
        f"<p><b>ThemeModel</b>: {model.n_themes_} themes over {len(model.labels_):,} texts"
        f" ({n_un:,} unassigned) <code>{escape(params)}</code></p>"
    )
    return head + theme_table_html(model.theme_info(n_quotes=0).drop(columns="quotes"))
