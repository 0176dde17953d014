"""Phrase names: word-bounded spans, grounded, unique, deterministic (voc.naming)."""

from __future__ import annotations

import pickle
import unicodedata

import numpy as np
import pytest

from voc._tagger import FastTagger
from voc.naming import PARSE_FEATURES, SEPARATOR, PhraseNamer, candidates, word_bounds, words


@pytest.fixture(scope="module")
def tagger() -> FastTagger:
    return FastTagger(features=PARSE_FEATURES, joined=True)


@pytest.mark.parametrize(
    "text, whole, cut",
    [
        ("コロナ禍なので部屋食がいい", ["コロナ禍", "部屋食"], ["禍", "コロナ", "部屋"]),
        ("食べ放題でお腹いっぱい食べたい", ["食べ放題", "お腹"], ["放題", "食べ"]),
        ("飲み放題プランが安い料金", ["飲み放題プラン"], ["放題", "プラン", "飲み放題"]),
        ("お子様ランチはありますか", ["お子様ランチ"], ["子様", "ランチ", "様"]),
        ("初期費用が高いため見送り", ["初期費用", "見送り", "ため"], ["費用", "初期"]),
        ("予算が付かなかったため今回は見送り", ["予算", "今回", "見送り"], ["予", "送り"]),
    ],
)
def test_words_never_cut_compounds(tagger: FastTagger, text: str, whole: list[str], cut: list[str]) -> None:
    surfaces = [w.surface for w in words(text, tagger.records(text))]
    for w in whole:
        assert w in surfaces, (text, surfaces)
    starts, ends = word_bounds(text, tagger.records(text))
    for c in cut:  # its first occurrence is inside a longer word
        at = text.find(c)
        assert not (at in starts and at + len(c) in ends), (c, surfaces)


@pytest.mark.parametrize(
    "text, expected, absent",
    [
        ("量を少なめにしてほしい", ["量を少なめに"], ["少なめ", "量を少なめにして"]),
        ("初期費用が高いため見送り", ["初期費用が高い", "初期費用"], ["費用", "費用が高い", "高いため"]),
        ("稟議が通らないので失注", ["稟議が通らない", "稟議"], ["稟議が通ら"]),
        ("コロナ禍なので部屋食がいい", ["コロナ禍", "部屋食", "部屋食がいい"], ["禍", "コロナ"]),
        ("食べ放題でお腹いっぱい食べたい", ["食べ放題"], ["放題", "食べたい"]),
        ("ご飯の量を少なくしてください", ["ご飯の量", "量を少なく"], ["量を少なくし"]),
        ("静かな部屋で食べたい", ["静かな部屋", "部屋で食べたい"], ["静か"]),
        ("子供用の食器を用意して", ["子供用の食器", "食器を用意"], ["用意し"]),
        # a name keeps the negation that reverses it, and never cuts a word (issue #27)
        ("反応は悪くない", ["反応は悪くない"], ["反応は悪く"]),
        ("引き継ぎがうまくいかず困っている", ["引き継ぎがうまくいかず"], ["引き継ぎがうまく"]),
        ("価格が高くないので安心", ["価格が高くない"], ["価格が高く"]),
        ("機能が足りず見送り", ["機能が足りず"], ["機能が足り"]),
        ("予実を集計したい", ["集計"], ["実を集計したい", "実を集計", "実"]),
        ("管理方法がバラバラで困る", ["管理方法"], ["管理方法がバラバラで"]),
        # a judgment noun or mark stays with its topic, and is no name alone
        ("電子契約はNG", ["電子契約はNG"], ["NG"]),
        ("外部クラウドはNGの方針", ["外部クラウドはNG", "方針"], ["NG", "NGの方針"]),
        ("クラウドは×", ["クラウドは×"], ["×"]),
        ("オンプレは不可", ["オンプレは不可"], ["不可"]),
        ("スマホ対応が必須", ["スマホ対応が必須"], ["必須"]),
    ],
)
def test_candidates(tagger: FastTagger, text: str, expected: list[str], absent: list[str]) -> None:
    found = candidates(text, tagger.records(text))
    for e in expected:
        assert e in found, (text, sorted(found))
    for a in absent:
        assert a not in found, (text, sorted(found))
    assert all(len(c) <= 16 and c in text for c in found)


def test_spelling_variants_share_a_key(tagger: FastTagger) -> None:
    a = candidates("子どもの椅子", tagger.records("子どもの椅子"))
    b = candidates("子供の椅子", tagger.records("子供の椅子"))
    assert a["子ども"] == b["子供"]


# -- a small corpus: three groups of real requests and lost-deal reasons ----------------------------
_GROUPS = {
    0: [
        "食べ放題のプランはありますか",
        "夕食は食べ放題がいいです",
        "飲み物も食べ放題にしてほしい",
        "食べ放題でお腹いっぱい食べたい",
        "カニの食べ放題がある宿",
        "子供も食べ放題で楽しめますか",
        "朝食が食べ放題だとうれしい",
        "焼肉の食べ放題を希望します",
        "デザートの食べ放題はありますか",
        "食べ放題のバイキングがいい",
    ],
    1: [
        "コロナ禍なので部屋食を希望します",
        "部屋食ができる宿がいい",
        "コロナ禍で大広間は避けたい",
        "夕食は部屋食でお願いします",
        "部屋食なら安心です",
        "コロナ禍でも部屋食なら行ける",
        "家族だけで部屋食にしたい",
        "朝食も部屋食にできますか",
        "人が多い場所は避けて部屋食がいい",
        "コロナ禍なので個室か部屋食",
    ],
    2: [
        "初期費用が高いため見送り",
        "初期費用が高い上に月額も高い",
        "ライセンス費用が予算を超える",
        "初期費用が高いと言われた",
        "価格が高いので他社に決定",
        "費用対効果が見えない",
        "初期費用が高いので稟議が通らない",
        "月額の費用が高い",
        "値引きがないと難しい",
        "初期費用が高いとのこと",
    ],
}


def _corpus(repeat: int = 4) -> tuple[list[str], np.ndarray]:
    texts, labels = [], []
    for g, rows in _GROUPS.items():
        for r in range(repeat):
            for t in rows:
                texts.append(t if r == 0 else f"{t}。{'よろしく' * r}")
                labels.append(g)
    return texts, np.asarray(labels)


def test_names_are_grounded_whole_and_unique(tagger: FastTagger) -> None:
    texts, labels = _corpus()
    names = PhraseNamer().name(texts, labels)
    assert sorted(names) == [0, 1, 2]
    labels_seen = [n.label for n in names.values()]
    assert len(set(labels_seen)) == 3
    for g, n in names.items():
        members = [unicodedata.normalize("NFKC", t) for t, lab in zip(texts, labels, strict=True) if lab == g]
        assert n.grounded and 1 <= len(n.phrases) <= 2
        assert n.label == SEPARATOR.join(n.phrases)
        for p, cov in zip(n.phrases, n.coverage, strict=True):
            assert len(p) <= 16
            share = sum(p in t for t in members) / len(members)
            assert share == pytest.approx(cov) and share >= 0.03
            assert p not in {"禍", "放題", "コロナ", "食べ"}
    assert names[0].phrases[0] == "食べ放題"
    assert names[1].phrases[0] in ("部屋食", "コロナ禍")
    assert "初期費用" in names[2].phrases[0]


def test_names_are_not_the_keywords_joined() -> None:
    texts, labels = _corpus()
    for n in PhraseNamer().name(texts, labels).values():
        assert "・" not in n.label


def test_deterministic_and_picklable() -> None:
    texts, labels = _corpus()
    a = PhraseNamer(random_state=3, sample=25).name(texts, labels)
    namer = pickle.loads(pickle.dumps(PhraseNamer(random_state=3, sample=25)))
    b = namer.name(texts, labels)
    assert a == b


def test_parsing_in_processes_gives_the_same_names(monkeypatch: pytest.MonkeyPatch) -> None:
    import voc.naming._phrases as phrases

    texts, labels = _corpus(repeat=12)
    one = PhraseNamer(n_jobs=1)
    a = one.name(texts, labels)
    monkeypatch.setattr(phrases, "_PARALLEL_MIN", 10)
    monkeypatch.setattr(phrases, "_CHUNK", 20)
    two = PhraseNamer(n_jobs=2)
    b = two.name(texts, labels)
    assert a == b
    assert two._memo == one._memo and two._keys == one._keys
    assert "_tagger" not in two.__dict__  # the workers parsed: no tagger was set up here


def test_reserved_phrases_are_not_used() -> None:
    texts, labels = _corpus()
    first = PhraseNamer().name(texts, labels)
    again = PhraseNamer().name(texts, labels, reserved=[first[0].phrases[0]])
    assert first[0].phrases[0] not in again[0].phrases
    assert again[0].grounded


def test_one_phrase_used_once_across_groups() -> None:
    # two groups that both talk about 食べ放題: only one may be named by it
    texts = _GROUPS[0] * 3 + [f"{t}、食べ放題も" for t in _GROUPS[1]] * 3
    labels = np.asarray([0] * 30 + [1] * 30)
    names = PhraseNamer().name(texts, labels)
    firsts = [n.phrases[0] for n in names.values()]
    assert len(set(firsts)) == 2
    assert len({n.label for n in names.values()}) == 2


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="3 texts but 2 labels"):
        PhraseNamer().name(["a", "b", "c"], [0, 1])
    with pytest.raises(ValueError, match="max_phrases must be one of"):
        PhraseNamer(max_phrases=3).name(["食べ放題"], [0])
    assert PhraseNamer().name(["食べ放題"], [-1]) == {}


def test_names_on_a_labeled_corpus(shared_data) -> None:
    """ASDC's meal requests grouped by their gold labels (those with ≥ 100 texts; the file also has
    a few labels of 1–15 texts, no theme's size): every name grounded, whole, unique."""
    import pandas as pd

    from voc.clean import normalize_text
    from voc.evaluate.metrics import distinct_names, fragment_rate, name_groundedness

    df = pd.read_csv(shared_data / "asdc_food_requests.csv")
    texts = [normalize_text(str(t)) for t in df["text"]]
    labels = pd.factorize(df["label"])[0]
    sizes = np.bincount(labels)
    labels = np.where(sizes[labels] >= 100, labels, -1)
    names = PhraseNamer(random_state=0).name(texts, labels)
    phrases = {g: n.phrases for g, n in names.items()}
    assert len(names) == int((sizes >= 100).sum()) >= 10
    assert name_groundedness(phrases, texts, labels) == 1.0
    assert fragment_rate(phrases, texts, labels) == 0.0
    assert distinct_names([n.label for n in names.values()]) == 1.0
    assert not {"禍", "放題", "コロナ"} & {p for n in names.values() for p in n.phrases}


def test_namer_is_an_interface() -> None:
    from voc.naming import Namer, ThemeName

    with pytest.raises(TypeError):
        Namer()  # type: ignore[abstract]

    class Fixed(Namer):  # what a language-model namer would look like from the outside
        def name(self, texts, labels, *, reserved=()):  # type: ignore[no-untyped-def]
            return {int(g): ThemeName(("食べ放題",), (1.0,), "食べ放題") for g in set(labels)}

    assert Fixed().name(["食べ放題"], [0])[0].label == "食べ放題"


def test_sample_members_is_per_group() -> None:
    from voc.naming import sample_members

    idx = np.arange(100, 400)
    a = sample_members(idx, 50, 7, 3)
    assert len(a) == 50 and set(a) <= set(idx) and (np.diff(a) > 0).all()
    assert (a == sample_members(idx, 50, 7, 3)).all()
    assert not (a == sample_members(idx, 50, 7, 4)).all()
    assert (sample_members(idx, 0, 7, 3) == idx).all() and (sample_members(idx[:10], 50, 7, 3) == idx[:10]).all()


# -- no name is personal data (issue 28) -----------------------------------------------------------
#: What a group's notes share that must never name it: an address, a building with its floor, a
#: phone number, a contact (a rare surname, a given name with a title), a long number, a placeholder.
_PERSONAL = [
    "送付先:札幌市中央区北1条西2丁目",
    "ABCビル12F",
    "TEL 03-1234-5678",
    "御手洗様",
    "太郎部長",
    "口座 1234567890",
    "［氏名］様",
]


def _personal_corpus(shared: str) -> tuple[list[str], np.ndarray]:
    texts, labels = _corpus(repeat=2)
    texts = [f"{t} {shared}" if lab == 0 else t for t, lab in zip(texts, labels, strict=True)]
    return texts, labels


@pytest.mark.parametrize("shared", [*_PERSONAL, " ".join(_PERSONAL)])
def test_a_shared_address_phone_or_name_never_names_a_group(shared: str) -> None:
    from voc.clean import normalize_text, pii_spans

    texts, labels = _personal_corpus(shared)
    names = PhraseNamer().name(texts, labels)
    for n in names.values():
        for p in n.phrases:
            assert not pii_spans(p), (shared, n.label)
            assert p not in normalize_text(shared) and normalize_text(shared) not in p, (shared, n.label)
    assert names[0].grounded and names[0].phrases[0] == "食べ放題"


def test_masking_off_still_gives_no_personal_name() -> None:
    import pandas as pd

    from voc.clean import clean, pii_spans

    texts, labels = _personal_corpus("担当 勅使河原様(札幌市中央区北1条西2丁目 ABCビル12F、090-1234-5678)")
    frame = pd.DataFrame({"row": range(len(texts)), "note": texts})
    kept, _ = clean(frame, ["note"], mask=False)
    assert "勅使河原" in kept["text"].iloc[0]  # nothing was masked
    for n in PhraseNamer().name(kept["text"].tolist(), labels).values():
        for p in n.phrases:
            assert not pii_spans(p) and not any(s in p for s in ("勅使河原", "札幌", "ABC", "090")), n.label


def test_candidates_refuse_personal_data(tagger: FastTagger) -> None:
    text = "担当の勅使河原様から札幌市中央区北1条西2丁目に来てほしいと連絡、ABCビル12F、[氏名]様、初期費用が高い"
    found = candidates(text, tagger.records(text))
    assert "初期費用が高い" in found and "連絡" in found
    for bad in ("勅使河原", "札幌市中央区北1条西2丁目", "ABCビル", "氏名", "中央区"):
        assert not any(bad in c for c in found), (bad, sorted(found))
