"""voc._tagger.FastTagger gives the fields fugashi's nodes give, from one MeCab call per text."""

from __future__ import annotations

import pickle

import pytest

from voc._tagger import FastTagger

TEXTS = [
    "価格が高いので今回は見送りますとのこと。",
    "ミエルクラウドはNovaCRMより導入費用が安い",  # unknown word (NovaCRM), glossed lemmas (クラウド-crowd)
    "ｻﾎﾟｰﾄ体制に不安あり、ﾃﾞﾓは好評",  # half-width katakana
    "ＡＰＩ連携　ＳＦＡ　１２０万円",  # full-width ASCII, full-width space
    "決裁者がNG😀👍 稟議通らず…",  # emoji
    "検討中です\n来期に再提案\t予定",  # newline and tab
    "# ＃ , \"quoted\" 、「検」",  # the sentinel character, commas and quotes in features
    "ｗｗｗ。。。？！",
    " ",
    "",
]


def _fugashi_fields(text: str, features: tuple[str, ...] = ("pos1", "pos2", "lemma")) -> list[tuple[str, ...]]:
    from voc._tagger import shared_tagger

    def norm(v: str | None) -> str:
        return "" if v in (None, "*") else v

    return [
        (n.surface, *(norm(getattr(n.feature, f)) for f in features)) for n in shared_tagger(unidic=True)(text)
    ]


@pytest.fixture(scope="module")
def fast() -> FastTagger:
    return FastTagger()


@pytest.mark.parametrize("text", TEXTS)
def test_same_fields_as_fugashi_nodes(fast: FastTagger, text: str) -> None:
    assert fast(text) == _fugashi_fields(text)


@pytest.mark.parametrize("features", [("pos1", "pos2", "pos3", "lemma"), ("lemma",), ("pos4", "cForm", "orthBase")])
def test_other_features(features: tuple[str, ...]) -> None:
    fast = FastTagger(features=features)
    for text in TEXTS:
        assert fast(text) == _fugashi_fields(text, features)


def test_unknown_feature_name_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="pos5"):
        FastTagger(features=("pos5",))("価格")


def test_unknown_word_has_empty_lemma_and_real_pos(fast: FastTagger) -> None:
    nova = [f for f in fast("NovaCRMに負けた") if f[0] == "NovaCRM"]
    assert nova == [("NovaCRM", "名詞", "普通名詞", "")]


def test_star_fields_are_empty(fast: FastTagger) -> None:
    # 助動詞 have pos2 "*" in UniDic; MeCab's %f[1] prints it as "".
    assert ("ます", "助動詞", "", "ます") in fast("見送ります")


def test_flat_fields_and_lazy_iteration(fast: FastTagger) -> None:
    text = "導入費用が予算を超えた"
    flat = fast.fields(text)
    assert len(flat) % 4 == 0
    assert list(fast.iter_fields(text)) == fast(text)
    assert fast.fields("") == [] and fast("") == []


def test_pickles_without_the_mecab_tagger(fast: FastTagger) -> None:
    fast("使い始め")
    clone = pickle.loads(pickle.dumps(fast))
    assert "_parse" not in clone.__dict__
    assert clone("価格が高い") == fast("価格が高い")


def test_bad_dictionary_dir_is_a_clear_error(tmp_path) -> None:
    from voc.errors import DependencyError

    with pytest.raises(DependencyError, match=str(tmp_path)):
        FastTagger(dicdir=str(tmp_path))("価格")


def test_same_fields_on_the_sample_corpus(fast: FastTagger) -> None:
    import csv
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "corpus" / "sample_crm_export.csv"
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))[:300]
    texts = [r[c] for r in rows for c in ("call_note", "lost_reason") if r[c]]
    assert len(texts) > 300
    for text in texts:
        assert fast(text) == _fugashi_fields(text), text


def test_records_are_the_joined_fields_of_each_morpheme():
    from voc._tagger import RECORD_SEP, FastTagger

    text = "ｶｽﾀﾏｲｽﾞ不可のためNovaCRMに決定。SSO非対応"
    plain = FastTagger(features=("pos1", "pos2", "pos3", "lemma"))
    joined = FastTagger(features=("pos1", "pos2", "pos3", "lemma"), joined=True)
    assert [tuple(r.split(RECORD_SEP)) for r in joined.records(text)] == list(plain.iter_fields(text))


def test_record_separator_in_the_text_does_not_shift_fields():
    from voc._tagger import RECORD_SEP, FastTagger
    from voc.tokenize import Tokenizer

    joined = FastTagger(features=("pos1", "pos2"), joined=True)
    assert all(len(r.split(RECORD_SEP)) == 3 for r in joined.records(f"価格{RECORD_SEP}が高い"))
    assert Tokenizer()(f"価格{RECORD_SEP}が高い") == Tokenizer()("価格 が高い")


def test_records_many_equals_records_of_each_text():
    from voc._tagger import RECORD_SEP, FastTagger

    fast = FastTagger(features=("pos1", "pos2", "pos3", "lemma"), joined=True)
    texts = ["価格が高い", "", f"価格{RECORD_SEP}が高い", "SSO非対応のため見送り"]
    assert fast.records_many(texts) == [fast.records(t) for t in texts]
    with pytest.raises(ValueError, match="joined=True"):
        FastTagger().records_many(texts)
    with pytest.raises(ValueError, match="joined=True"):
        FastTagger().records(texts[0])


def _mecab(fast: FastTagger) -> object:
    fast.records("") if fast.joined else fast("")
    return fast._parse.__self__  # the fugashi tagger whose parse it calls


def test_taggers_with_the_same_fields_share_one_mecab_tagger_per_process():
    # fugashi never frees a MeCab tagger (each one dropped keeps ~100 MB of dictionary mapped), so
    # creating one per FastTagger, Tokenizer or namer made a process grow with every report.
    from voc.naming._spans import PARSE_FEATURES
    from voc.tokenize import Tokenizer

    a, b = FastTagger(features=PARSE_FEATURES, joined=True), FastTagger(features=PARSE_FEATURES, joined=True)
    assert _mecab(a) is _mecab(b)
    assert _mecab(pickle.loads(pickle.dumps(a))) is _mecab(a)
    assert _mecab(FastTagger(features=PARSE_FEATURES)) is not _mecab(a)  # other arguments, another tagger
    one, two = Tokenizer(), Tokenizer(compounds="join")
    one("価格"), two("価格")
    assert one._fast._parse.__self__ is two._fast._parse.__self__
    assert one.tagger is two.tagger


def test_the_phrase_namer_parses_with_the_shared_tagger():
    from voc.naming import PhraseNamer
    from voc.naming._spans import PARSE_FEATURES

    namers = [PhraseNamer(n_jobs=1), PhraseNamer(n_jobs=1)]
    for namer in namers:
        namer._candidates(["導入費用が高い"])
    assert _mecab(namers[0]._tagger) is _mecab(namers[1]._tagger)
    assert _mecab(namers[0]._tagger) is _mecab(FastTagger(features=PARSE_FEATURES, joined=True))


def test_name_masking_parses_with_the_tokenizers_tagger():
    from voc._tagger import _TAGGERS
    from voc.clean import mask_pii
    from voc.tokenize import Tokenizer

    Tokenizer()("価格")
    before = set(_TAGGERS)
    assert "［氏名］" in mask_pii("担当の山田様より\n連絡あり")  # two lines: parsed for names alone
    assert set(_TAGGERS) == before  # no MeCab tagger of its own (each maps the whole dictionary)
