"""voc.explore on real Japanese strings: frequencies, cross-tabs, KWIC, collocations, networks, log-odds."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from voc import explore as ex
from voc.errors import InputError

PRICE = "価格が高い。価格交渉は難航、最終的に他社の価格で決定。"  # 価格 at 0, 6 and 21; 27 characters


# -- KWIC ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (3, [("", "価格", "が高い", 0), ("高い。", "価格", "交渉は", 6), ("他社の", "価格", "で決定", 21)]),
        ((0, 2), [("", "価格", "が高", 0), ("", "価格", "交渉", 6), ("", "価格", "で決", 21)]),
        ((2, 0), [("", "価格", "", 0), ("い。", "価格", "", 6), ("社の", "価格", "", 21)]),
        (100, [("", "価格", PRICE[2:], 0), (PRICE[:6], "価格", PRICE[8:], 6), (PRICE[:21], "価格", "で決定。", 21)]),
    ],
)
def test_kwic_context_is_cut_at_the_width_and_at_the_text_boundaries(width, expected):
    table = ex.kwic([PRICE], "価格", width=width)
    got = list(table[["left", "match", "right", "start"]].itertuples(index=False, name=None))
    assert got == expected


@pytest.mark.parametrize(
    ("texts", "pattern", "regex", "matches"),
    [
        (["価格が高すぎる。導入費用も高く、保守も高い"], r"高(い|すぎ|く)", True, ["高すぎ", "高く", "高い"]),
        (["NovaCRMに決定。Nova CRMの方が安い"], r"Nova\s?CRM", True, ["NovaCRM", "Nova CRM"]),
        (["(株)サンプルに決定"], "（株）", False, ["(株)"]),  # full-width query normalized (NFKC), parens literal
        (["ＡＰＩ連携が必須"], "API", False, []),  # texts are expected to be cleaned (NFKC) already
        (["API連携が必須、api連携"], "ＡＰＩ", False, ["API"]),  # literal, case-sensitive
        (["特になし"], "価格", False, []),
    ],
)
def test_kwic_literal_and_regex_matches(texts, pattern, regex, matches):
    assert ex.kwic(texts, pattern, regex=regex)["match"].tolist() == matches


def test_kwic_shows_line_breaks_as_one_character_so_widths_stay_exact():
    table = ex.kwic(["特になし\n価格が高い"], "価格", width=3)
    assert table["left"].tolist() == ["なし⏎"]
    assert ex.kwic(["特になし\n価格が高い"], "価格", width=3, newline=" / ")["left"].tolist() == ["なし / "]


def test_kwic_keeps_columns_and_index_labels_of_a_dataframe():
    frame = pd.DataFrame(
        {"text": ["価格が高い", "サポートが手厚い", "価格は妥当"], "outcome": ["失注", "受注", "受注"]},
        index=[10, 11, 12],
    )
    table = ex.kwic(frame, "価格", keep=["outcome"])
    assert list(table.columns) == ["doc", "outcome", "left", "match", "right", "start"]
    assert table["doc"].tolist() == [10, 12]
    assert table["outcome"].tolist() == ["失注", "受注"]


def test_kwic_max_rows_and_an_empty_result_keeps_the_columns():
    assert len(ex.kwic([PRICE, PRICE], "価格", max_rows=4)) == 4
    empty = ex.kwic(["予算がない"], "価格")
    assert empty.empty and list(empty.columns) == ["doc", "left", "match", "right", "start"]


@pytest.mark.parametrize(
    ("pattern", "regex", "width", "message"),
    [
        ("", False, 5, "pattern is empty"),
        ("高(", True, 5, "invalid regular expression"),
        ("価?", True, 5, "matches the empty string"),
        ("価格", False, -1, "width must be"),
        ("価格", False, (3,), "width must be"),
        ("価格", False, (3, 2.5), "width must be"),
    ],
)
def test_kwic_rejects_bad_arguments_with_clear_messages(pattern, regex, width, message):
    with pytest.raises(ValueError, match=message):
        ex.kwic([PRICE], pattern, regex=regex, width=width)


def test_kwic_errors_on_a_missing_text_column_and_a_bare_string():
    with pytest.raises(InputError, match="no column 'text'"):
        ex.kwic(pd.DataFrame({"call_note": ["価格"]}), "価格")
    with pytest.raises(TypeError, match="single str"):
        ex.kwic(PRICE, "価格")


def test_style_kwic_right_aligns_the_left_context():
    html = ex.style_kwic(ex.kwic([PRICE], "価格", width=4)).to_html()
    assert "text-align: right" in html and "交渉は難" in html and "start" not in html.split("<tbody>")[0]


# -- tokens, POS, frequencies ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("word", "pos"),
    [
        ("価格", "名詞"),
        ("高い", "形容詞"),
        ("手厚い", "形容詞"),
        ("見送る", "動詞"),
        ("簡単", "形状詞"),
        ("導入費用", "複合名詞"),
    ],
)
def test_word_pos(word, pos):
    assert ex.word_pos([word]) == {word: pos}


LOST_WON = pd.DataFrame(
    {
        "text": ["価格が高い", "価格は安い", "サポートが手厚い", "導入費用が高いので見送る"],
        "outcome": ["失注", "受注", "受注", "失注"],
    }
)


def test_frequencies_count_occurrences_and_documents():
    table = ex.frequencies(pd.DataFrame({"text": ["価格、価格、また価格", "価格が高い", "サポートが手厚い"]}))
    row = table.set_index("word").loc["価格"]
    assert (row["tf"], row["df"], row["pos"]) == (4, 2, "名詞")
    assert row["df_share"] == pytest.approx(2 / 3)
    assert table["word"].iloc[0] == "価格"  # sorted by df


def test_frequencies_by_group_and_pos():
    table = ex.frequencies(LOST_WON, by="outcome", pos="形容詞")
    assert set(table["pos"]) == {"形容詞"}
    lost = table[table["outcome"] == "失注"].set_index("word")
    assert lost.loc["高い", "df"] == 2 and lost.loc["高い", "df_share"] == 1.0
    won = table[table["outcome"] == "受注"]
    assert set(won["word"]) == {"安い", "手厚い"}
    nouns = ex.frequencies(LOST_WON, pos=["名詞", "複合名詞"])
    assert {"導入費用", "価格"} <= set(nouns["word"]) and "高い" not in set(nouns["word"])


def test_frequencies_min_df_top_and_tokens_length_check():
    tokens = [["価格", "高い"], ["価格"], ["サポート"]]
    table = ex.frequencies(["a", "b", "c"], tokens=tokens, min_df=2)
    assert table["word"].tolist() == ["価格"]
    assert len(ex.frequencies(["a", "b", "c"], tokens=tokens, top=1)) == 1
    with pytest.raises(ValueError, match="2 token lists for 3 texts"):
        ex.frequencies(["a", "b", "c"], tokens=tokens[:2])


def test_frequencies_by_needs_a_dataframe_column():
    with pytest.raises(InputError, match="no column 'industry'"):
        ex.frequencies(LOST_WON, by="industry")


def test_word_crosstab_shares_and_chi_square():
    frame = pd.DataFrame(
        {"text": ["価格が高い"] * 6 + ["サポートが手厚い"] * 6, "outcome": ["失注"] * 6 + ["受注"] * 6}
    )
    table = ex.word_crosstab(frame, "outcome", words=["価格", "サポート", "存在しない語"]).set_index("word")
    assert table.loc["価格", "失注"] == 1.0 and table.loc["価格", "受注"] == 0.0
    assert table.loc["価格", "chi2"] == pytest.approx(12.0)  # perfectly separated 6 + 6
    assert table.loc["価格", "p"] < 0.001
    assert table.loc["存在しない語", "df"] == 0 and table.loc["存在しない語", "p"] == 1.0


# -- collocations ----------------------------------------------------------------------------------
COLLOC_TOKENS = [["価格", "高い", "見送る"], ["価格", "高い"], ["サポート", "手厚い"], ["展示会", "展示", "リード"]]


def test_collocations_of_a_word_count_left_and_right_within_the_window():
    table = ex.collocations(["x"] * 4, "価格", tokens=COLLOC_TOKENS, window=1, min_count=1).set_index("collocate")
    assert list(table.index) == ["高い"]  # 見送る is two tokens away
    row = table.loc["高い"]
    assert (row["left"], row["right"], row["total"], row["freq"]) == (0, 2, 2, 2)
    n = sum(map(len, COLLOC_TOKENS))
    expected = 2 * 2 * 2 * 1 / n
    assert row["mi"] == pytest.approx(math.log2(2 / expected))
    assert row["t"] == pytest.approx((2 - expected) / math.sqrt(2))
    wide = ex.collocations(["x"] * 4, "価格", tokens=COLLOC_TOKENS, window=2, min_count=1)
    assert set(wide["collocate"]) == {"高い", "見送る"}


def test_collocations_skip_a_compound_and_its_own_parts():
    table = ex.collocations(["x"] * 4, "展示会", tokens=COLLOC_TOKENS, window=3, min_count=1)
    assert table["collocate"].tolist() == ["リード"]


def test_adjacent_pairs_and_min_count_and_sort():
    pairs = ex.collocations(["x"] * 4, tokens=COLLOC_TOKENS, min_count=2)
    assert pairs[["first", "second", "total"]].values.tolist() == [["価格", "高い", 2]]
    with pytest.raises(ValueError, match="sort must be one of"):
        ex.collocations(["x"] * 4, tokens=COLLOC_TOKENS, sort="llr")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="window must be"):
        ex.collocations(["x"] * 4, "価格", tokens=COLLOC_TOKENS, window=0)


def test_collocations_tokenize_real_texts():
    texts = ["価格が高いので見送り", "価格が高い", "価格が高すぎる"]
    table = ex.collocations(texts, "価格", min_count=2)
    assert table["collocate"].iloc[0] == "高い" and table["total"].iloc[0] == 3


# -- co-occurrence network -------------------------------------------------------------------------
NET_TOKENS = (
    [["価格", "高い"]] * 4
    + [["価格", "予算"]] * 2
    + [["価格", "見積もり"]] * 2
    + [["サポート", "手厚い"]] * 3
    + [["サポート", "体制"]]
    + [["導入費用", "導入"]] * 3
)


def test_network_edges_carry_jaccard_and_counts():
    G = ex.cooccurrence_network(["x"] * len(NET_TOKENS), tokens=NET_TOKENS, min_df=1, n_edges=10)
    assert G.graph["n_docs"] == len(NET_TOKENS)
    edge = G.edges["価格", "高い"]
    assert edge["count"] == 4 and edge["jaccard"] == pytest.approx(4 / 8)  # 価格 in 8 docs, 高い in 4
    assert G.edges["サポート", "手厚い"]["jaccard"] == pytest.approx(3 / 4)
    assert not G.has_edge("導入費用", "導入")  # a compound and its part
    assert G.nodes["価格"]["df"] == 8
    # the two connected groups are two communities, the largest first
    assert G.nodes["価格"]["community"] == G.nodes["高い"]["community"] == 0
    assert G.nodes["サポート"]["community"] == 1 != G.nodes["価格"]["community"]


def test_network_keeps_the_strongest_edges_and_is_deterministic():
    G = ex.cooccurrence_network(["x"] * len(NET_TOKENS), tokens=NET_TOKENS, min_df=1, n_edges=1)
    assert list(G.edges) == [("サポート", "手厚い")]  # Jaccard 3/4 beats 4/8
    a = ex.cooccurrence_network(["x"] * len(NET_TOKENS), tokens=NET_TOKENS, min_df=1, random_state=7)
    b = ex.cooccurrence_network(["x"] * len(NET_TOKENS), tokens=NET_TOKENS, min_df=1, random_state=7)
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))


def test_network_min_df_leaves_an_empty_graph_that_cannot_be_drawn():
    G = ex.cooccurrence_network(["x"] * len(NET_TOKENS), tokens=NET_TOKENS, min_df=50)
    assert G.number_of_nodes() == 0
    with pytest.raises(ValueError, match="no nodes"):
        ex.plot_network(G)


def test_plot_network_sizes_nodes_by_frequency_and_colours_communities():
    G = ex.cooccurrence_network(["x"] * len(NET_TOKENS), tokens=NET_TOKENS, min_df=1)
    fig = ex.plot_network(G)
    nodes = [t for t in fig.data if t.mode == "markers+text"]
    assert len(nodes) == len({d["community"] for _, d in G.nodes(data=True)})
    size = {w: s for t in nodes for w, s in zip(t.text, t.marker.size, strict=True)}
    assert size["価格"] > size["高い"] > size["予算"]
    assert len({t.marker.color for t in nodes}) == len(nodes)


# -- lost vs won -----------------------------------------------------------------------------------
def test_distinguishing_words_sign_and_shrinkage():
    frame = pd.DataFrame(
        {
            "text": ["価格が高い"] * 20 + ["予算がない"] + ["サポートが手厚い"] * 20 + ["導入が早い"] + ["検討中"] * 5,
            "outcome": ["失注"] * 21 + ["受注"] * 21 + ["進行中"] * 5,
        }
    )
    table = ex.distinguishing_words(frame, min_count=1).set_index("word")
    assert table.loc["高い", "z"] > 1.96 and table.loc["高い", "favours"] == "失注"
    assert table.loc["手厚い", "z"] < -1.96 and table.loc["手厚い", "favours"] == "受注"
    # seen once, the same one-sidedness is far weaker evidence
    assert 0 < table.loc["予算", "z"] < table.loc["高い", "z"] / 3
    assert table.loc["高い", "count_group"] == 20 and table.loc["高い", "count_other"] == 0
    assert list(table.index[:2]) != list(table.index[-2:])
    stronger = ex.distinguishing_words(frame, min_count=1, prior_scale=10).set_index("word")
    assert abs(stronger.loc["高い", "log_odds"]) < abs(table.loc["高い", "log_odds"])
    vs_rest = ex.distinguishing_words(frame, other=None, min_count=1)
    assert set(vs_rest["favours"]) == {"失注", "(other)"}
    assert ex.distinguishing_words(frame, min_count=20)["word"].tolist() == [
        "価格",
        "高い",
        "サポート",
        "手厚い",
    ]  # ties by word


def test_distinguishing_words_errors():
    with pytest.raises(InputError, match="no row has outcome == '保留'"):
        ex.distinguishing_words(LOST_WON, group="保留")
    with pytest.raises(ValueError, match="prior_scale"):
        ex.distinguishing_words(LOST_WON, prior_scale=0)
    with pytest.raises(InputError, match="no tokens in the comparison rows"):
        ex.distinguishing_words(LOST_WON, other="進行中")
