"""Surnames without a title, rare surnames and the surname list ``voc/data/surnames_ja.txt``.

The sentences are written for these tests, not taken from ``tests/_name_notes.py``: the
generator's names stay held out, and no word list of :mod:`voc._names` holds one of them.
"""

from __future__ import annotations

import re
from importlib.resources import files

import pytest

from tests import _name_notes
from voc import _names
from voc.clean import mask_pii, normalize_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a surname, a particle and what a person does, no title
        ("佐藤に報告済み。", "［氏名］に報告済み。"),
        ("吉田へ資料を共有済み。", "［氏名］へ資料を共有済み。"),
        ("松本に引き継ぎ。", "［氏名］に引き継ぎ。"),
        ("田中から竹内へ担当交代の連絡あり。", "［氏名］から［氏名］へ担当交代の連絡あり。"),  # 竹|内 for MeCab
        # rare surnames that unidic-lite does not list as one, before a title
        ("廿楽様に見積を送付。", "［氏名］様に見積を送付。"),
        ("小鳥遊部長が決裁。", "［氏名］部長が決裁。"),
        ("八月一日課長に連絡。", "［氏名］課長に連絡。"),  # 八|月|一日 for MeCab
        # one kanji written apart before a given name
        ("担当は溝 健太常務。", "担当は［氏名］常務。"),
        # places, shops, roles and ordinary words stay
        ("松本城の見学ツアー向けに提案。", "松本城の見学ツアー向けに提案。"),
        ("中村屋に納品予定と連絡あり。", "中村屋に納品予定と連絡あり。"),
        ("大阪から連絡あり。", "大阪から連絡あり。"),
        ("宮崎から全国に展開。", "宮崎から全国に展開。"),
        ("新宿に本社移転を相談中。", "新宿に本社移転を相談中。"),
        ("上司が同行するので安っぽい店は困る。", "上司が同行するので安っぽい店は困る。"),
        ("価格と機能を説明。", "価格と機能を説明。"),
        ("本社に確認中。", "本社に確認中。"),
        ("営業部長と経理課長が同席。", "営業部長と経理課長が同席。"),
    ],
)
def test_surnames_without_titles_and_rare_surnames(text: str, expected: str) -> None:
    assert mask_pii(normalize_text(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # surnames that no dictionary here lists, read by MeCab as ordinary words: one kanji standing
        # alone before a title (樫 oak, 栂 hemlock, 檜 cypress), and a word that starts with a kanji
        # numeral (六|月|一日, 十|七夜, 百鬼)
        ("樫課長に連絡。", "［氏名］課長に連絡。"),
        ("本日栂さんと電話で打ち合わせ。", "本日［氏名］さんと電話で打ち合わせ。"),
        ("先方の檜様によると稟議が通らなかった。", "先方の［氏名］様によると稟議が通らなかった。"),
        ("先方欅専務、予算は来期。", "先方［氏名］専務、予算は来期。"),
        ("六月一日さんから前向きな反応。", "［氏名］さんから前向きな反応。"),
        ("十七夜課長の異動で案件が停滞。", "［氏名］課長の異動で案件が停滞。"),
        ("決裁者は百鬼部長。", "決裁者は［氏名］部長。"),
        # ordinary words in those places stay
        ("母さんが使うので簡単な画面が必要。", "母さんが使うので簡単な画面が必要。"),
        ("娘さんの意見で決めるとのこと。", "娘さんの意見で決めるとのこと。"),
        ("先様の都合で日程変更。", "先様の都合で日程変更。"),
        ("県さんの予算で導入、市様にも提案。", "県さんの予算で導入、市様にも提案。"),
        ("人様に見せる画面ではない。", "人様に見せる画面ではない。"),
        ("百貨店様向けの機能。", "百貨店様向けの機能。"),
        ("二代目さんが決裁。", "二代目さんが決裁。"),
        ("三菱さんに提案。", "三菱さんに提案。"),
        ("十数名様で来社。", "十数名様で来社。"),
        ("三十日さんに提出。", "三十日さんに提出。"),
    ],
)
def test_surnames_no_dictionary_lists(text: str, expected: str) -> None:
    assert mask_pii(normalize_text(text)) == expected


def _list_lines() -> list[str]:
    return files("voc.data").joinpath("surnames_ja.txt").read_text(encoding="utf-8").split("\n")


def test_the_surname_list_names_its_source_and_holds_kanji_surnames_only() -> None:
    lines = _list_lines()
    header = "\n".join(line for line in lines if line.startswith("#"))
    assert "SudachiDict" in header and "Apache License 2.0" in header and "scripts/make_surnames.py" in header
    entries = [line for line in lines if line and not line.startswith("#")]
    assert len(entries) > 50_000
    assert all(re.fullmatch(r"[\u4e00-\u9fff々ヶ]{1,4}", w) for w in entries)
    assert entries == sorted(set(entries))  # as the script writes it: no entry appended by hand


def _held_out_names() -> set[str]:
    pools = (_name_notes.SEI, _name_notes.SEI1, _name_notes.RARE, _name_notes.MEI, _name_notes.KATA)
    return {w for pool in pools for w in pool[1::2]}  # the "heldout" half (odd positions)


def test_no_hand_written_word_list_holds_a_held_out_name() -> None:
    """The word lists written by hand in :mod:`voc._names` that make text masked (cues, titles,
    particles) hold none of the generator's held-out names: masking them is not hard-coded."""
    hand = (
        _names._PERSON_CUES
        | _names._CUE_PARTICLES
        | _names._HONORIFICS
        | _names._LIST_WORDS
        | frozenset(_names._ITAIJI_RE.pattern.strip("[]"))
    )
    assert not hand & _held_out_names()


def test_the_surname_list_is_what_the_script_derives() -> None:
    """Run where SudachiDict is installed (scripts/make_surnames.py says how): the list is exactly
    the derived one, so no entry was added by hand."""
    pytest.importorskip("sudachipy")
    pytest.importorskip("sudachidict_core")
    from sudachipy import Dictionary

    derived = set()
    for m in Dictionary(dict="core").entries():
        if m.part_of_speech()[1:4] == ("固有名詞", "人名", "姓") and re.fullmatch(
            r"[\u4e00-\u9fff々ヶ]{1,4}", m.surface()
        ):
            derived.add(m.surface())
    entries = {line for line in _list_lines() if line and not line.startswith("#")}
    assert entries <= derived
