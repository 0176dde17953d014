"""Tokenizer table tests on real Japanese strings (fugashi + unidic-lite)."""

from __future__ import annotations

import pickle

import pytest

from voc.clean import normalize_text
from voc.errors import ConfigError
from voc.tokenize import Tokenizer, load_wordlist, read_synonyms


@pytest.fixture(scope="module")
def tok() -> Tokenizer:
    return Tokenizer()


@pytest.mark.parametrize(
    "text, present, absent",
    [
        # compound nouns join where they form one term, and their parts stay (compounds="both")
        ("導入費用が高い", ["導入費用", "導入", "費用", "高い"], []),
        ("既存システムとの連携が難しい", ["既存システム", "連携", "難しい"], []),
        # formal / adverb-like nouns end a compound instead of joining it
        ("予算が付かなかったため今回は見送り", ["予算", "見送り"], ["為見送り", "為", "今回"]),
        ("担当曰く決裁が下りない", ["決裁", "下りる"], ["担当曰く決裁", "曰く", "担当"]),
        # lemmas: dictionary forms, English glosses dropped, function verbs away
        ("機能が足りなかった", ["機能", "足りる"], ["た"]),
        ("カスタマイズできない", ["カスタマイズ"], ["出来る", "できる", "カスタマイズ-customize"]),
        ("セキュリティ要件を満たさない", ["満たす", "要件"], ["セキュリティー-security"]),
        # glosses in other lemmas: a verb's dropped, a suffix's written form kept (大-大学 is 大)
        ("線を引く", ["線", "引く"], ["引く-他動詞"]),
        ("東日本大震災の影響", ["東日本大震災", "震災", "影響"], ["東日本大-大学震災", "大-大学"]),
        # the そう of 高そう (an auxiliary's stem) is no content word
        ("価格が高そうだ", ["価格", "高い"], ["そう", "そう-様態"]),
        # numbers and symbols out
        ("3社比較で50万円高い!!", ["比較", "高い"], ["3", "50", "!!", "万", "円"]),
        # sales-domain stopwords
        ("御社の担当者様から先方へ連絡", [], ["御社", "担当者", "様", "先方", "連絡"]),
        # spelling variants unified (UniDic lemma and the synonym file)
        ("見積りと見積と打合せ", ["見積もり"], ["見積り", "見積", "打合せ"]),
        ("相見積で他社に決定", ["相見積もり", "競合", "決定"], ["他社"]),
        # words missing from the dictionary are kept as written (and joined when split)
        ("ボックプロの動作が重い", ["ボックプロ", "動作", "重い"], []),
    ],
)
def test_tokens(tok: Tokenizer, text: str, present: list[str], absent: list[str]) -> None:
    tokens = tok(normalize_text(text))
    for word in present:
        assert word in tokens, (text, tokens)
    for word in absent:
        assert word not in tokens, (text, tokens)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("ｶｽﾀﾏｲｽﾞ性が低い", "カスタマイズ"),  # half-width katakana → dictionary hit after NFKC
        ("ＡＰＩ連携", "API"),  # full-width Latin → API, still one word
    ],
)
def test_width_variants_after_nfkc(tok: Tokenizer, raw: str, expected: str) -> None:
    assert expected in tok(normalize_text(raw))


def test_compound_modes() -> None:
    text = "導入費用が高い"
    assert Tokenizer(compounds="join")(text) == ["導入費用", "高い"]
    assert Tokenizer(compounds="off")(text) == ["導入", "費用", "高い"]
    with pytest.raises(ConfigError, match="compounds must be one of"):
        Tokenizer(compounds="maybe")(text)  # type: ignore[arg-type]


def test_no_repeated_part_compounds(tok: Tokenizer) -> None:
    # 競合他社: 他社 maps to 競合, which must not give a compound 競合競合
    assert "競合競合" not in tok("競合他社に決定")


def test_user_stopwords_and_synonyms(tmp_path) -> None:
    stop = tmp_path / "stop.txt"
    stop.write_text("# mine\n価格\n", encoding="utf-8")
    syn = tmp_path / "syn.txt"
    syn.write_text("# 製品名\nVocPro = ボックプロ, ボックプロ製品\n", encoding="utf-8")
    t = Tokenizer(stopwords=str(stop), synonyms=str(syn))
    tokens = t("価格よりボックプロの機能")
    assert "価格" not in tokens
    assert "機能" in tokens
    assert read_synonyms(str(syn)) == {"ボックプロ": "VocPro", "ボックプロ製品": "VocPro"}


def test_bad_synonym_file_names_line(tmp_path) -> None:
    syn = tmp_path / "syn.txt"
    syn.write_text("見積もり = 見積\n見積り\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 2"):
        read_synonyms(str(syn))


def test_shipped_lists() -> None:
    assert {"こと", "為る", "曰く"} <= load_wordlist("stopwords_ja")
    assert {"御社", "弊社", "様", "担当", "今回"} <= load_wordlist("stopwords_sales")
    assert read_synonyms()["見積り"] == "見積もり"


def test_pickle_drops_tagger_and_tokenizes_the_same(tok: Tokenizer) -> None:
    text = "導入費用が高いため見送り"
    before = tok(text)
    clone = pickle.loads(pickle.dumps(tok))
    assert "_tagger" not in clone.__dict__
    assert clone(text) == before
    assert clone.tokenize_many([text, "価格"]) == [before, ["価格"]]


def test_tokenizing_builds_no_fugashi_tagger() -> None:
    # Tokenizing reads MeCab through FastTagger; the fugashi Tagger (~15 MB per process) is only
    # built for callers of the `tagger` property.
    tok = Tokenizer()
    assert tok("導入費用が高いため見送り") == ["導入", "費用", "導入費用", "高い", "見送り"]
    assert "_tagger" not in tok.__dict__
    assert tok.tagger("価格")[0].surface == "価格"


@pytest.mark.parametrize("compounds", ["both", "join", "off"])
def test_batched_tokenize_many_equals_one_text_at_a_time(monkeypatch, compounds) -> None:
    # tokenize_many sends texts to MeCab in batches (voc.tokenize.BATCH) before reading the
    # records: the tokens must be exactly those of one call per text, across batch boundaries.
    import voc.tokenize as vt
    from voc._tagger import RECORD_SEP

    monkeypatch.setattr(vt, "BATCH", 3)
    texts = [
        "導入費用が高いため見送り", "", "既存システムとの連携が難しい", "ｶｽﾀﾏｲｽﾞ不可のためNovaCRMに決定。SSO非対応",
        f"価格{RECORD_SEP}が高い", "特になし", "セキュリティ要件を満たさない", "相見積で他社に決定",
    ]
    texts = [normalize_text(t) for t in texts]
    one = Tokenizer(compounds=compounds)
    many = Tokenizer(compounds=compounds)
    assert many.tokenize_many(texts) == [one(t) for t in texts]
    assert many.tokenize_many([]) == []


@pytest.mark.parametrize(
    "text, token, written",
    [
        ("今の運用ならタダなので", "只", "タダ"),  # UniDic's lemma is a kanji spelling nobody wrote
        ("興味ありとのこと", "興味有り", "興味あり"),  # compounds part by part
        ("必要機能なし", "必要機能無し", "必要機能なし"),
        ("話がまとまらない", "纏まる", "まとまる"),
        ("そのままの運用", "侭", "まま"),
        ("セキュリティ審査で却下", "セキュリティー審査", "セキュリティ審査"),  # the notes' spelling
        ("要件を満たせない", "満たす", "満たす"),  # not the potential 満たせる: another word form
        ("他社に決定", "競合", "競合"),  # renamed by the synonym list: its canonical form
        ("カスタマイズ性が低い", "カスタマイズ性", "カスタマイズ性"),
    ],
)
def test_display_forms_spell_tokens_as_the_texts_do(tok: Tokenizer, text, token, written) -> None:
    assert token in tok(text)
    assert tok.display_forms([text])[token] == written


def test_display_forms_take_the_most_frequent_spelling(tok: Tokenizer) -> None:
    texts = ["見積を送付", "見積を再送", "見積りを送付"]
    assert tok("見積を送付")[0] == tok("見積りを送付")[0]  # one token, two spellings
    assert tok.display_forms(texts)[tok(texts[0])[0]] == "見積"


@pytest.mark.parametrize("compounds", ["both", "join", "off"])
def test_written_tokens_follow_the_tokenizer(compounds) -> None:
    """display_forms re-derives the tokens from a richer MeCab record: they must be the tokens
    tokenize gives, in the same order, for every text of the sample corpus."""
    import pandas as pd

    from tests.conftest import SAMPLE_CSV

    frame = pd.read_csv(SAMPLE_CSV, dtype=str, keep_default_na=False)
    texts = [normalize_text(t) for t in [*frame["lost_reason"], *frame["call_note"][:1500]] if t.strip()]
    tok = Tokenizer(compounds=compounds)
    tok.display_forms(texts[:1])
    for text, tokens in zip(texts, tok.tokenize_many(texts), strict=True):
        assert [t for t, _ in tok._written_tokens(tok._fast_orth.records(text))] == tokens, text
