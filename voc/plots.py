"""Figures people would rather look at than read: theme sizes, trends, win/loss effect, documents map.

Every function returns a figure (matplotlib ``Figure``, or a plotly ``Figure`` where it says so)
and draws nothing else. Japanese labels need a font with Japanese glyphs: :func:`use_japanese_font`
finds one installed on the machine (the project installs Debian ``fonts-noto-cjk``, see
``system-packages.txt``) and points matplotlib at it. The plot functions call it themselves;
importing this module changes nothing.
"""

from __future__ import annotations

import glob
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from voc.errors import DependencyError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = [
    "use_japanese_font",
    "theme_sizes",
    "theme_trend",
    "win_loss_effect",
    "documents_map",
    "distinguishing_words",
    "segment_heatmap",
]

log = logging.getLogger(__name__)

#: Font families with Japanese glyphs, best first.
JAPANESE_FONTS = (
    "Noto Sans CJK JP",
    "Noto Sans JP",
    "IPAexGothic",
    "IPAGothic",
    "TakaoGothic",
    "Hiragino Sans",
    "Yu Gothic",
    "Meiryo",
)
#: Where Debian/Ubuntu put fonts-noto-cjk, fonts-ipaexfont and friends.
_FONT_GLOBS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/**/NotoSansCJK*Regular*.tt[cf]",
    "/usr/share/fonts/**/NotoSansJP*.[ot]tf",
    "/usr/share/fonts/**/ipaexg.ttf",
    "/usr/share/fonts/**/ipag.ttf",
)
_INSTALL = "install a Japanese font: apt-get install fonts-noto-cjk (or: make system-deps)"


def use_japanese_font() -> str:
    """Make matplotlib draw Japanese text with an installed Japanese font; return its family name.

    Looks for the families in :data:`JAPANESE_FONTS` among the fonts matplotlib knows, then for the
    font files Debian packages install (matplotlib's font cache may predate the font's install),
    and puts the first one found at the head of ``font.sans-serif``.

    Raises
    ------
    DependencyError
        No Japanese font is installed; the message names the apt-get command.
    """
    import matplotlib as mpl
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    family = next((f for f in JAPANESE_FONTS if f in known), None)
    if family is None:
        for pattern in _FONT_GLOBS:
            for path in sorted(glob.glob(pattern, recursive=True)):
                font_manager.fontManager.addfont(path)
        known = {f.name for f in font_manager.fontManager.ttflist}
        family = next((f for f in JAPANESE_FONTS if f in known), None)
    if family is None:
        raise DependencyError(f"no Japanese font found for matplotlib (tried {', '.join(JAPANESE_FONTS)}); {_INSTALL}")
    sans = [f for f in mpl.rcParams["font.sans-serif"] if f != family]
    mpl.rcParams["font.sans-serif"] = [family, *sans]
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["axes.unicode_minus"] = False
    log.debug("matplotlib font: %s", family)
    return family


def _figure(width: float, height: float) -> tuple[Figure, Any]:
    from matplotlib.figure import Figure

    use_japanese_font()
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def _plain(text: object) -> str:
    """*text* (a theme name, a word, a segment value) as matplotlib text: ``$`` escaped, since two of
    them would start TeX math (``$100 から $80`` in math italics; ``$\\frac{$`` fails to draw)."""
    return str(text).replace("$", "\\$")


def _need(frame: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} needs columns {missing}; the table has {list(frame.columns)}")


def theme_sizes(
    themes: pd.DataFrame,
    *,
    label: str = "label",
    size: str = "size",
    top: int = 20,
    title: str = "テーマの大きさ",
) -> Figure:
    """Horizontal bars of the *top* largest themes, labelled with count and share.

    Needs columns *label* and *size* (e.g. ``ReportResult.themes``: ``label``, ``size``); uses
    ``share`` when present.
    """
    _need(themes, [label, size], "theme_sizes")
    t = themes.sort_values(size, ascending=False, kind="stable").head(top).iloc[::-1]
    fig, ax = _figure(8, 0.6 + 0.38 * len(t))
    bars = ax.barh([_plain(v) for v in t[label]], t[size], color="#4c72b0")
    shares = t["share"] if "share" in t.columns else t[size] / max(1, themes[size].sum())
    ax.bar_label(bars, labels=[f"{n:,} ({s:.0%})" for n, s in zip(t[size], shares, strict=True)], padding=3)
    ax.set_xlabel("文書数")
    ax.set_title(title)
    ax.margins(x=0.18)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def theme_trend(
    trend: pd.DataFrame,
    *,
    period: str = "period",
    theme: str = "label",
    value: str = "share",
    top: int = 6,
    title: str = "テーマの推移",
) -> Figure:
    """Lines of *value* per *period* for the *top* themes (by their total *value*).

    Needs a long table with columns *period*, *theme* and *value* (one row per theme and period).
    """
    _need(trend, [period, theme, value], "theme_trend")
    wide = trend.pivot_table(index=period, columns=theme, values=value, aggfunc="sum").sort_index()
    keep = wide.sum().sort_values(ascending=False, kind="stable").index[:top]
    fig, ax = _figure(9, 4.5)
    x = [_plain(p) for p in wide.index]
    for name in keep:
        ax.plot(x, wide[name].to_numpy(), marker="o", ms=3, label=_plain(name))
    ax.set_title(title)
    ax.set_xlabel(_plain(period))
    ax.set_ylabel(_plain(value))
    if value == "share":
        from matplotlib.ticker import PercentFormatter

        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.tick_params(axis="x", labelrotation=45)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def win_loss_effect(
    table: pd.DataFrame,
    *,
    label: str = "label",
    effect: str = "effect",
    low: str | None = None,
    high: str | None = None,
    xlabel: str = "失注率の差 (テーマあり − なし)",
    title: str = "テーマと失注の関係",
) -> Figure:
    """A dot per theme at its *effect* on losing (e.g. loss-rate difference or log odds), with the
    interval *low*–*high* when given; themes sorted by effect, zero marked.

    Needs columns *label* and *effect* (and *low*, *high* when named).
    """
    _need(table, [label, effect, *(c for c in (low, high) if c)], "win_loss_effect")
    t = table.sort_values(effect, kind="stable").reset_index(drop=True)
    fig, ax = _figure(8, 0.8 + 0.38 * len(t))
    y = range(len(t))
    colors = ["#c44e52" if v > 0 else "#55a868" for v in t[effect]]
    if low and high:
        ax.hlines(y, t[low], t[high], color="#999999", lw=2)
    ax.scatter(t[effect], y, c=colors, s=45, zorder=3)
    ax.axvline(0, color="#333333", lw=0.8)
    ax.set_yticks(list(y), [_plain(v) for v in t[label]])
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def documents_map(
    embeddings: np.ndarray,
    labels: Sequence[int],
    *,
    names: dict[int, str] | pd.DataFrame | None = None,
    texts: Sequence[str] | None = None,
    sample: int | None = 3000,
    random_state: int = 42,
    interactive: bool = False,
    title: str = "文書マップ",
) -> Any:
    """Every document as a point, coloured by theme, with theme names at their centres.

    The embeddings are projected to 2-D with a seeded PCA (fast, no UMAP compilation). Documents with
    label ``-1`` are grey. With ``interactive=True`` returns a plotly figure whose hover shows each
    document's text (*texts*); otherwise a matplotlib figure.

    Parameters
    ----------
    embeddings : ndarray of shape (n_documents, n_dims)
    labels : theme id of each document (``ThemeModel.labels_``)
    names : theme id → display name, or a theme table with ``theme_id`` and ``label`` (``theme_info()``,
        ``ThemeEditor.table()``, ``ReportResult.themes``); default ``テーマ {id}``
    sample : draw at most this many documents (a seeded random sample)
    """
    import numpy as np
    from sklearn.decomposition import PCA

    emb = np.asarray(embeddings, dtype=float)
    lab = np.asarray(labels, dtype=int)
    if len(emb) != len(lab):
        raise ValueError(f"{len(emb)} embeddings for {len(lab)} labels")
    if texts is not None and len(texts) != len(lab):
        raise ValueError(f"{len(texts)} texts for {len(lab)} labels")
    rng = np.random.default_rng(random_state)
    idx = np.arange(len(lab))
    if sample is not None and len(idx) > sample:
        idx = np.sort(rng.choice(idx, size=sample, replace=False))
    xy = PCA(n_components=2, random_state=random_state).fit_transform(emb)[idx]
    lab = lab[idx]
    if names is not None and hasattr(names, "columns"):
        names = dict(zip(names["theme_id"].astype(int), names["label"], strict=True))
    names = names or {}
    shown = {t: names.get(t, f"テーマ {t}") for t in sorted(t for t in set(lab.tolist()) if t >= 0)}
    if interactive:
        return _map_plotly(xy, lab, idx, shown, texts, title)
    return _map_matplotlib(xy, lab, shown, title)


def _map_plotly(
    xy: np.ndarray, lab: np.ndarray, idx: np.ndarray, names: dict[int, str], texts: Sequence[str] | None, title: str
) -> Any:
    """:func:`documents_map` as a plotly figure: one trace per theme (*names*, in order), unassigned
    first in grey; the hover shows each document's text (*texts*, by the positions *idx*)."""
    import plotly.graph_objects as go

    from voc._plotly_text import plotly_text

    fig = go.Figure()
    for t in [-1, *names]:
        m = lab == t
        if not m.any():
            continue
        # Plotly renders <b>, <a href> … in names and hover texts: show them as written
        hover = [plotly_text(str(texts[i])[:120]) for i in idx[m]] if texts is not None else None
        trace_name = "未分類" if t < 0 else plotly_text(str(names[t]))
        fig.add_trace(
            go.Scattergl(
                x=xy[m, 0], y=xy[m, 1], mode="markers", name=trace_name, text=hover,
                hoverinfo="text+name", marker={"size": 5, "opacity": 0.6, **({"color": "#cccccc"} if t < 0 else {})},
            )
        )  # fmt: skip
    fig.update_layout(
        title=title, height=650, plot_bgcolor="white", xaxis={"visible": False}, yaxis={"visible": False}
    )
    return fig


def _map_matplotlib(xy: np.ndarray, lab: np.ndarray, names: dict[int, str], title: str) -> Any:
    """:func:`documents_map` as a matplotlib figure: unassigned in grey, each theme (*names*, in
    order) in its colour with its name at its median point."""
    import numpy as np
    from matplotlib import colormaps

    fig, ax = _figure(9, 7)
    cmap = colormaps["tab20"]
    other = lab < 0
    ax.scatter(xy[other, 0], xy[other, 1], s=4, c="#cccccc", alpha=0.5, linewidths=0)
    for k, t in enumerate(names):
        m = lab == t
        ax.scatter(xy[m, 0], xy[m, 1], s=5, color=cmap(k % 20), alpha=0.6, linewidths=0)
        cx, cy = np.median(xy[m], axis=0)
        ax.annotate(_plain(names[t]), (cx, cy), ha="center", fontsize=9, bbox={"boxstyle": "round", "fc": "white", "alpha": 0.8})
    ax.set_title(title)
    ax.set_axis_off()
    return fig


def distinguishing_words(
    table: pd.DataFrame,
    *,
    n: int = 15,
    word: str = "word",
    z: str = "z",
    title: str = "失注と受注を分ける語 (log-odds z)",
) -> Figure:
    """Bars of the *n* words most typical of each side of :func:`voc.explore.distinguishing_words`
    (positive *z*: the compared group, e.g. 失注; negative: the other, e.g. 受注).

    Needs columns *word* and *z* (and ``favours`` for the legend, when present).
    """
    import pandas as pd

    _need(table, [word, z], "distinguishing_words")
    neg = table[table[z] < 0].sort_values(z, kind="stable").head(n)
    pos = table[table[z] > 0].sort_values(z, ascending=False, kind="stable").head(n)
    both = pd.concat([neg, pos.iloc[::-1]])  # bottom to top: most negative … most positive
    fig, ax = _figure(8, 0.6 + 0.3 * len(both))
    colors = ["#c44e52" if v > 0 else "#55a868" for v in both[z]]
    ax.barh(range(len(both)), both[z], color=colors)
    ax.set_yticks(range(len(both)), [_plain(v) for v in both[word]])
    ax.axvline(0, color="#333333", lw=0.8)
    if "favours" in both.columns and len(both):
        sides = both.drop_duplicates("favours").set_index("favours")[z]
        ax.set_xlabel("z  (" + " / ".join(f"{_plain(k)}: {'+' if v > 0 else '−'}" for k, v in sides.items()) + ")")
    else:
        ax.set_xlabel("z")
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def segment_heatmap(
    lift: pd.DataFrame,
    column: str,
    *,
    label: str = "label",
    value: str = "lift",
    title: str | None = None,
) -> Figure:
    """A theme × segment-value heatmap of *value* (default the lift of :func:`voc.insights.segment_lift`)
    for one segment *column*; cells marked ``*`` are significant when a ``significant`` column exists.

    Needs columns ``column`` (segment column name), ``value`` (segment value), *label* and *value*.
    """
    import numpy as np

    _need(lift, ["column", "value", label, value], "segment_heatmap")
    part = lift[lift["column"] == column]
    if part.empty:
        raise ValueError(f"no rows for segment column {column!r}; columns are {sorted(set(lift['column']))}")
    grid = part.pivot_table(index=label, columns="value", values=value, aggfunc="first")
    fig, ax = _figure(1.6 + 0.9 * grid.shape[1], 0.9 + 0.4 * grid.shape[0])
    data = grid.to_numpy(dtype=float)
    if value == "lift":
        from matplotlib.colors import LogNorm

        span = float(np.nanmax(np.abs(np.log(np.clip(data, 1e-3, None))))) if np.isfinite(data).any() else 1.0
        span = max(span, 0.1)
        norm = LogNorm(vmin=float(np.exp(-span)), vmax=float(np.exp(span)))
        image = ax.imshow(data, cmap="RdBu_r", norm=norm, aspect="auto")
    else:
        image = ax.imshow(data, cmap="viridis", aspect="auto")
    sig = None
    if "significant" in part.columns:
        sig = part.pivot_table(index=label, columns="value", values="significant", aggfunc="first").reindex_like(grid)
    for i in range(data.shape[0]):
        for j in range(data.shape[1]):
            if np.isfinite(data[i, j]):
                mark = "*" if sig is not None and sig.iat[i, j] == 1 else ""
                ax.text(j, i, f"{data[i, j]:.2f}{mark}", ha="center", va="center", fontsize=8)
    ax.set_xticks(range(grid.shape[1]), [_plain(c) for c in grid.columns], rotation=45, ha="right")
    ax.set_yticks(range(grid.shape[0]), [_plain(r) for r in grid.index])
    ax.set_title(title or f"{_plain(column)} 別のテーマ ({value}, * = 有意)")
    bar = fig.colorbar(image, ax=ax, shrink=0.8)
    if value == "lift":
        from matplotlib.ticker import FixedLocator, NullFormatter, StrMethodFormatter

        ticks = [t for t in (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 4.0) if norm.vmin <= t <= norm.vmax]
        bar.ax.yaxis.set_major_locator(FixedLocator(ticks))
        bar.ax.yaxis.set_major_formatter(StrMethodFormatter("{x:g}"))
        bar.ax.yaxis.set_minor_formatter(NullFormatter())
    return fig
