from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from voc.label import distinct_keywords, label_from_keywords, representative_quotes

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "keywords, expected",
    [
        (["導入費用", "導入", "費用", "高い", "予算"], "導入費用・高い・予算"),
        (["SSO", "SSO非対応", "セキュリティー"], "SSO・セキュリティー"),
        ([], "(キーワードなし)"),
    ],
)
def test_label_from_keywords_skips_contained_words(keywords, expected):
    assert label_from_keywords(keywords) == expected


def test_distinct_keywords_limit():
    assert distinct_keywords(["価格", "価格面", "高い", "競合", "予算"], 2) == ["価格", "高い"]


def test_representative_quotes_prefers_centre_and_skips_near_duplicates():
    texts = ["価格が高い", "価格が高い。", "価格が高すぎる", "SSOに非対応"]
    emb = np.array([[0.8, 0.2], [0.8, 0.2], [1.0, 0.0], [0.4, 0.6]])
    emb = emb / np.linalg.norm(emb, axis=1, keepdims=True)
    picks = representative_quotes(texts, emb, n=2)
    assert picks[0] == 0
    assert 1 not in picks  # near-duplicate of the first pick
    assert picks[1] == 2


def test_representative_quotes_empty():
    assert representative_quotes([], np.zeros((0, 2))) == []


def _tokenized(texts):
    from voc.tokenize import Tokenizer

    return Tokenizer().tokenize_many(texts)


def test_keyword_parts_give_way_to_the_compound_they_occur_in():
    """Real tokens: サクセスナビ comes with its parts サクセス and ナビ, オンプレ要望 with オン and
    プレ; the parts, ranked first by c-TF-IDF, show as the compound."""
    from voc.label import prefer_compounds

    docs = _tokenized(
        ["サクセスナビに決まった", "競合のサクセスナビを採用", "サクセスナビに負けた",
         "オンプレ要望あり", "オンプレでないと無理", "オンプレ版が必要"]
    )
    assert "ナビ" in docs[0] and "サクセス" in docs[0] and "プレ" in docs[3]
    kept = prefer_compounds(["ナビ", "サクセス", "競合", "プレ", "オン"], docs)
    assert kept == ["サクセスナビ", "競合", "オンプレ"]
    # scores stay with their words
    assert prefer_compounds([("ナビ", 0.9), ("決まる", 0.5)], docs) == [("サクセスナビ", 0.9), ("決まる", 0.5)]


def test_keywords_that_stand_alone_or_join_a_better_keyword_stay():
    from voc.label import prefer_compounds

    # 予算 stands alone in most documents: it stays, though 予算取り holds it in some
    docs = _tokenized(["予算取りに間に合わず", "予算がない", "予算不足", "予算が合わない", "予算がない"])
    assert prefer_compounds(["予算", "間に合う"], docs) == ["予算", "間に合う"]
    # 取り only occurs in 予算取り, but 予算 ranks above it and would hide the compound: 取り stays
    assert prefer_compounds(["予算", "取り"], docs) == ["予算", "取り"]
    # a word spread over several compounds stays (稟議NG / 社内稟議, neither in 90%)
    docs = _tokenized(["稟議NG", "社内稟議で否決", "稟議NG", "社内稟議が通らない"])
    assert "稟議" in prefer_compounds(["稟議"], docs)


def test_single_character_fragments_of_several_compounds_are_dropped():
    from voc.label import prefer_compounds

    # 感 only occurs inside 費用感 / 温度感 / 距離感 (the tokenizer keeps the parts): a fragment
    docs = _tokenized(["費用感が合わない", "温度感が低い", "距離感がある", "費用が高い", "費用がかかる"])
    assert "感" in {t for d in docs for t in d}
    assert prefer_compounds(["費用", "感", "低い"], docs) == ["費用", "低い"]
    # 量 stands alone in most of its documents: it stays
    docs = _tokenized(["量が多い", "ご飯の量を減らしたい", "量を少なめに", "少量で"])
    assert prefer_compounds(["量", "多い"], docs) == ["量", "多い"]
    # (score) pairs keep their scores; the order is kept
    docs = _tokenized(["費用感が合わない", "温度感が低い", "予算がない"])
    assert prefer_compounds([("予算", 0.9), ("感", 0.5), ("低い", 0.4)], docs) == [("予算", 0.9), ("低い", 0.4)]


def test_theme_keywords_name_compounds_whole_on_the_sample_corpus():
    """On the sample corpus c-TF-IDF ranks parts above their compounds (ナビ and サクセス for the
    competitor サクセスナビ, プレ for オンプレ, フロー for 承認フロー). ThemeModel's keywords never
    show a part that occurs inside one longer token in 90% of its theme's documents (unless that
    token holds a better-ranked keyword), and at least one theme's keywords differ from c-TF-IDF's
    ranking because of it (both fail with prefer_compounds removed from ThemeModel.fit)."""
    import pandas as pd

    from voc.clean import normalize_text
    from voc.label import _compound_of, _holders, theme_documents
    from voc.themes import ThemeModel

    from .conftest import SAMPLE_CSV

    notes = pd.read_csv(SAMPLE_CSV, dtype=str, keep_default_na=False)["lost_reason"]
    texts = [t for t in (normalize_text(n) for n in notes) if t.strip()]
    model = ThemeModel(n_themes=11, random_state=42).fit(texts)
    members = theme_documents(model.tokenizer_.tokenize_many(texts), model.labels_)
    folded = 0
    for theme, pairs in model.keywords_.items():
        words = [w for w, _ in pairs]
        for i, word in enumerate(words):
            holder = _compound_of(_holders(word, members[theme]), 0.9)
            assert holder is None or any(b in holder for b in words[:i] if b not in word), (theme, word, holder)
        ranked = [w for w, _ in model.topic_model_.get_topic(theme)][: len(words)]
        folded += words != ranked
    assert folded, "expected a part folded into its compound in at least one theme"


def test_report_keywords_are_spelled_as_in_the_notes(sample_report):
    """Keywords are UniDic lemmas (只, 無し, 纏まる), which the notes spell otherwise (タダ, なし,
    まとまる): the report shows each as the notes write it, so every keyword (or, for a verb or
    adjective shown in its dictionary form, its stem) occurs in the notes."""
    import pandas as pd

    from voc.clean import normalize_text

    from .conftest import SAMPLE_CSV

    export = pd.read_csv(SAMPLE_CSV, dtype=str, keep_default_na=False)
    notes = "\n".join(normalize_text(t) for column in ("call_note", "lost_reason") for t in export[column])
    themes = pd.read_csv(sample_report.out_dir / "themes.csv")
    shown = [w for kw in themes["keywords"] for w in kw.split("、")]
    # a synonym's canonical form is shown as the list names it (他社CRM → 競合CRM: 競合 = 競合他社, 他社)
    canonical = {line.split("=")[0].strip() for line in (ROOT / "voc" / "data" / "synonyms_sales.txt").read_text(
        encoding="utf-8").splitlines() if "=" in line and not line.startswith("#")}
    shown = [w for w in shown if not any(c in w for c in canonical)]
    assert [w for w in shown if w not in notes and w[:-1] not in notes] == []
    # names are phrases joined by " / " (voc.naming.SEPARATOR), keyword labels words joined by ・
    labels = [w for label in themes["label"] for part in label.split(" / ") for w in part.split("・")]
    assert [w for w in labels if w not in notes and w[:-1] not in notes] == []


def test_written_keywords_maps_each_keyword_once():
    from voc.label import written_keywords
    from voc.tokenize import Tokenizer

    tok = Tokenizer()
    texts = ["今の運用ならタダ", "必要機能なし", "必要機能なしとのこと", "価格が高い"]
    tokens = tok.tokenize_many(texts)
    got = written_keywords({0: ["只", "価格"], 1: ["必要機能無し", "価格"]}, texts, tokens, tok)
    assert got == {"只": "タダ", "価格": "価格", "必要機能無し": "必要機能なし"}
    # a keyword no text contains keeps its token form
    assert written_keywords({0: ["未知"]}, texts, tokens, tok) == {"未知": "未知"}


def test_representative_quotes_repeated_texts_same_as_one_by_one():
    """Each distinct text is compared once (statements repeat); the picks are those of comparing
    every text in turn, as before."""
    import numpy as np

    from voc.label import _shingles, representative_quotes

    def one_by_one(texts, emb, n, max_similarity=0.6, max_chars=200):
        centre = emb.mean(axis=0)
        order = np.argsort(-(emb @ (centre / np.linalg.norm(centre))), kind="stable")
        chosen, shingles = [], []
        for pass_max in (max_chars, None):
            for i in order:
                if len(chosen) == n:
                    return chosen
                if i in chosen or (pass_max is not None and len(texts[i]) > pass_max):
                    continue
                sh = _shingles(texts[i])
                if any(len(sh & c) / max(1, len(sh | c)) > max_similarity for c in shingles):
                    continue
                chosen.append(int(i))
                shingles.append(sh)
        return chosen

    rng = np.random.default_rng(3)
    pool = ["価格が高い", "価格が少し高い", "サポートが手厚い", "連携が弱い", "画面が見やすい", "x" * 250, "導入が早い"]
    for _ in range(30):
        texts = [pool[j] for j in rng.integers(0, len(pool), 200)]
        emb = rng.standard_normal((200, 8)).astype(np.float32) + 1
        for n in (1, 3, 7):
            assert representative_quotes(texts, emb, n) == one_by_one(texts, emb, n)
