"""voc.plots: every figure renders its Japanese labels with a real Japanese font (no tofu boxes)."""

from __future__ import annotations

import io
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

from voc import plots

THEMES = pd.DataFrame(
    {
        "label": ["価格・高い・予算", "機能不足・連携", "競合・採用・負け"],
        "size": [300, 200, 100],
        "share": [0.3, 0.2, 0.1],
    }
)


def _render(fig) -> bytes:
    """PNG bytes of *fig*, failing on any missing-glyph warning."""
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
        fig.savefig(buf, format="png")
    data = buf.getvalue()
    assert data.startswith(b"\x89PNG")
    return data


def test_missing_glyphs_are_caught_without_a_japanese_font():
    """The check below can fail: DejaVu Sans alone has no kanji."""
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    fig = Figure()
    fig.add_subplot().set_title("価格が高い", fontproperties=FontProperties(family="DejaVu Sans"))
    with pytest.raises(UserWarning, match="missing from font"):
        _render(fig)


def test_use_japanese_font_finds_an_installed_font():
    import matplotlib as mpl
    from matplotlib import font_manager

    family = plots.use_japanese_font()
    assert family in plots.JAPANESE_FONTS
    assert mpl.rcParams["font.sans-serif"][0] == family
    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    assert "dejavu" not in path.lower()


def test_importing_voc_plots_changes_no_matplotlib_setting():
    code = (
        "import matplotlib as mpl\n"
        "before = list(mpl.rcParams['font.sans-serif'])\n"
        "import voc.plots\n"
        "assert list(mpl.rcParams['font.sans-serif']) == before\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"


def test_theme_sizes():
    fig = plots.theme_sizes(THEMES)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["競合・採用・負け", "機能不足・連携", "価格・高い・予算"]
    assert any("300 (30%)" in t.get_text() for t in ax.texts)
    _render(fig)


def test_theme_trend_keeps_the_top_themes():
    trend = pd.DataFrame(
        {
            "month": ["2025-01", "2025-02"] * 3,
            "label": ["価格", "価格", "機能", "機能", "競合", "競合"],
            "share": [0.3, 0.4, 0.2, 0.1, 0.01, 0.02],
        }
    )
    fig = plots.theme_trend(trend, period="month", top=2)
    assert [line.get_label() for line in fig.axes[0].get_lines()] == ["価格", "機能"]
    _render(fig)


def test_win_loss_effect_with_intervals():
    table = pd.DataFrame({"label": ["価格", "サポート"], "effect": [-0.2, 0.1], "lo": [-0.3, 0.0], "hi": [-0.1, 0.2]})
    fig = plots.win_loss_effect(table, low="lo", high="hi")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["価格", "サポート"]
    _render(fig)
    with pytest.raises(ValueError, match=r"needs columns \['effect'\]"):
        plots.win_loss_effect(table.drop(columns="effect"))


def test_distinguishing_words_plot_orders_both_sides():
    table = pd.DataFrame(
        {
            "word": ["高い", "予算", "手厚い", "早い"],
            "z": [5.0, 2.0, -1.0, -4.0],
            "favours": ["失注", "失注", "受注", "受注"],
        }
    )
    fig = plots.distinguishing_words(table, n=2)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["早い", "手厚い", "予算", "高い"]
    assert "失注" in fig.axes[0].get_xlabel()
    _render(fig)


def test_documents_map_static_and_interactive():
    rng = np.random.default_rng(0)
    emb = np.vstack([rng.normal(0, 0.1, (30, 8)) + i for i in range(3)])
    labels = np.repeat([0, 1, -1], 30)
    fig = plots.documents_map(emb, labels, names={0: "価格が高い", 1: "機能不足"})
    assert {t.get_text() for t in fig.axes[0].texts} == {"価格が高い", "機能不足"}
    _render(fig)
    texts = [f"商談メモ {i}" for i in range(90)]
    inter = plots.documents_map(
        emb, labels, names={0: "価格が高い", 1: "機能不足"}, texts=texts, interactive=True, sample=50
    )
    assert sum(len(t.x) for t in inter.data) == 50
    assert {t.name for t in inter.data} == {"価格が高い", "機能不足", "未分類"}
    marked = plots.documents_map(emb, labels, names={0: "<a href='#'>x</a>", 1: "A&B"}, texts=["<b>声</b>"] * 90,
                                 interactive=True)  # Plotly's own markup: shown as written, not drawn
    assert {t.name for t in marked.data} == {"&lt;a href='#'&gt;x&lt;/a&gt;", "A&amp;B", "未分類"}
    assert {s for t in marked.data for s in t.text} == {"&lt;b&gt;声&lt;/b&gt;"}
    with pytest.raises(ValueError, match="90 embeddings for 3 labels"):
        plots.documents_map(emb, [0, 1, 2])


def test_segment_heatmap_marks_significant_cells():
    lift = pd.DataFrame(
        {
            "column": ["company_size"] * 3 + ["region"],
            "value": ["〜50名", "1001名以上", "〜50名", "関東"],
            "label": ["価格", "価格", "決裁", "価格"],
            "lift": [1.8, 0.5, 1.0, 1.2],
            "significant": [True, False, False, False],
        }
    )
    fig = plots.segment_heatmap(lift, "company_size")
    texts = sorted(t.get_text() for t in fig.axes[0].texts)
    assert texts == ["0.50", "1.00", "1.80*"]  # 決裁 × 1001名以上 has no row: no cell text
    _render(fig)
    with pytest.raises(ValueError, match="no rows for segment column 'industry'"):
        plots.segment_heatmap(lift, "industry")


def test_dollar_signs_in_data_are_text_not_mathtext():
    """matplotlib reads text between two ``$`` as TeX math: ``$100 から $80`` came out in math
    italics with missing glyphs, and ``$\\frac{$`` stopped the drawing. Data labels are plain text."""
    names = ["値引き $100 から $80 に", "割引 $\\frac{ 不足$", "普通"]
    themes = pd.DataFrame({"label": names, "size": [3, 2, 1]})
    fig = plots.theme_sizes(themes)
    _render(fig)  # raised ValueError (mathtext parse error) before
    shown = [t for t in fig.axes[0].get_yticklabels()]
    assert [t._preprocess_math(t.get_text()) for t in shown][::-1] == [(n, False) for n in names]
    table = pd.DataFrame({"label": names, "effect": [0.1, -0.2, 0.0]})
    _render(plots.win_loss_effect(table))
    trend = pd.DataFrame({"period": ["$1", "$2"] * 3, "label": [n for n in names for _ in range(2)], "share": [0.1] * 6})
    _render(plots.theme_trend(trend))
