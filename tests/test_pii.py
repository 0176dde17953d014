"""PII recall and false masks on the labeled set ``tests/data/pii_sentences.jsonl``.

The set (≥ 300 sentences, written for these tests by ``tests/data/make_pii_sentences.py``) plants
names, phone numbers, e-mail addresses, URLs and postal codes in many formats, and holds decoy
sentences with product, company and ordinary words that must not be masked. Print the figures::

    .venv/bin/python tests/test_pii.py

A planted item counts as masked only if no identifying piece of it is left in the output: for phone
numbers and postal codes no run of 3+ digits, for URLs no 3+-character host or path segment, for
e-mails the address, for names neither the surname nor the given name.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from voc.clean import PII_PLACEHOLDERS, mask_pii, normalize_text

DATA = Path(__file__).resolve().parent / "data" / "pii_sentences.jsonl"
#: Hand-written after the masking rules were tuned on DATA: the less biased figure.
HELDOUT = DATA.with_name("pii_heldout.jsonl")
PATTERN_KINDS = ("phone", "email", "url", "postal")


def _pieces(kind: str, value: str) -> list[str]:
    v = normalize_text(value)
    if kind in ("phone", "postal"):
        return re.findall(r"\d{3,}", v)
    if kind == "url":
        return [s for s in re.split(r"[^A-Za-z0-9]+", v.lower()) if len(s) >= 3 and s not in ("http", "https", "www")]
    return [v]


def measure(*paths: Path) -> dict:
    """Recall per kind and false masks of protected words over the labeled set(s)."""
    records = [
        json.loads(line) for p in paths or (DATA, HELDOUT) for line in p.read_text(encoding="utf-8").splitlines()
    ]
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses: list[tuple[str, str, str]] = []
    protected = masked_words = 0
    false_masks: list[tuple[str, str]] = []
    for rec in records:
        out = mask_pii(normalize_text(rec["text"]))
        low = out.lower()
        for item in rec["pii"]:
            kind = item["kind"]
            total[kind] += 1
            if any(p.lower() in low for p in _pieces(kind, item["value"])):
                misses.append((kind, item["value"], out))
            else:
                found[kind] += 1
        for word in rec["protect"]:
            protected += 1
            if normalize_text(word) not in out:
                masked_words += 1
                false_masks.append((word, out))
    return {
        "n_sentences": len(records),
        "recall": {k: found[k] / total[k] for k in total},
        "counts": {k: (found[k], total[k]) for k in total},
        "misses": misses,
        "protected": protected,
        "false_mask_rate": masked_words / protected,
        "false_masks": false_masks,
    }


@pytest.fixture(scope="module")
def figures() -> dict:
    return measure()


def test_the_labeled_set_is_large_and_varied(figures: dict) -> None:
    assert figures["n_sentences"] >= 300
    for kind in (*PATTERN_KINDS, "name"):
        assert figures["counts"][kind][1] >= 40, kind
    assert figures["protected"] >= 80


@pytest.mark.parametrize("kind", PATTERN_KINDS)
def test_pattern_kinds_recall_at_least_99_percent(figures: dict, kind: str) -> None:
    missed = [m for m in figures["misses"] if m[0] == kind]
    assert figures["recall"][kind] >= 0.99, missed


def test_name_recall(figures: dict) -> None:
    # Names come from a dictionary and context, not a pattern: the bar is lower and stated in SECURITY.md.
    assert figures["recall"]["name"] >= 0.90, [m for m in figures["misses"] if m[0] == "name"]


def test_product_and_company_words_are_rarely_masked(figures: dict) -> None:
    assert figures["false_mask_rate"] <= 0.05, figures["false_masks"]


def test_false_masks_on_real_customer_requests(shared_data: Path) -> None:
    """Real voice-of-customer text (ASDC food requests, 11,485 utterances) has almost no personal
    data, so nearly every change masking makes there is a false mask. Measured 0.22% of texts
    (e.g. 船盛, 松花堂弁当, 金沢 tagged 人名 by UniDic); the bound is a guard, not the figure."""
    import pandas as pd

    texts = [normalize_text(t) for t in pd.read_csv(shared_data / "asdc_food_requests.csv")["text"].astype(str)]
    changed = sum(mask_pii(t) != t for t in texts)
    print(f"ASDC: {changed}/{len(texts)} texts changed by masking = {changed / len(texts):.2%}")
    assert changed / len(texts) <= 0.01


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("田中様（tanaka@example.co.jp、０９０－１２３４－５６７８）", "［氏名］様(［メール］、［電話］)"),
        ("〒１２３－４５６７ 東京都千代田区", "［郵便番号］ 東京都千代田区"),
        ("+81-3-1234-5678まで", "［電話］まで"),
        ("佐々木 健太さんから連絡", "［氏名］さんから連絡"),
        ("中野課長と打ち合わせ", "［氏名］課長と打ち合わせ"),
        ("詳細は https://www.example.co.jp/company/ を参照", "詳細は ［URL］ を参照"),
        # not personal data: dates, amounts, order numbers, products, companies, ordinary katakana
        ("2024-11-14に1,600,000円で見積", "2024-11-14に1,600,000円で見積"),
        ("見積番号Q-2024-0815", "見積番号Q-2024-0815"),
        ("サイボウズのkintoneに負けた", "サイボウズのkintoneに負けた"),
        ("リードの質が低い", "リードの質が低い"),
        ("トヨタ様の案件", "トヨタ様の案件"),
    ],
)
def test_examples(text: str, expected: str) -> None:
    assert mask_pii(normalize_text(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("本社は札幌市中央区北1条西2丁目にある", "本社は［住所］にある"),
        ("送付先:東京都港区芝浦3-4-1 ABCビル12Fまで", "送付先:［住所］まで"),
        ("ABCビル12Fの会議室で打ち合わせ", "［住所］の会議室で打ち合わせ"),
        ("大阪市北区梅田1丁目2番3号に移転", "［住所］に移転"),
        ("渋谷区道玄坂２－１０－７", "［住所］"),
        ("千代田区丸の内1-1-1", "［住所］"),
        ("横浜市西区みなとみらい2-3-1 クイーンズタワーA 10階", "［住所］"),
        ("神奈川県川崎市中原区小杉町3丁目", "［住所］"),
        ("新宿区西新宿2-8に移転", "［住所］に移転"),
        ("ハイツ青葉203号室", "［住所］"),
        # a region, a range, a date, an article: not an address
        ("東京都千代田区の企業", "東京都千代田区の企業"),
        ("品川区の2-3社と比較", "品川区の2-3社と比較"),
        ("福岡市は1-2年後に導入", "福岡市は1-2年後に導入"),
        ("2024-11-14に1,600,000円で見積", "2024-11-14に1,600,000円で見積"),
        ("5番目の要望、第3条に基づき", "5番目の要望、第3条に基づき"),
        ("森ビルに入居、3階の会議室", "森ビルに入居、3階の会議室"),
    ],
)
def test_addresses(text: str, expected: str) -> None:
    assert mask_pii(normalize_text(text), kinds=["address"]) == expected


def test_kinds_are_configurable() -> None:
    text = normalize_text("田中様 090-1234-5678 tanaka@example.com")
    assert mask_pii(text, kinds=["phone"]) == "田中様 ［電話］ tanaka@example.com"
    assert mask_pii(text, kinds=[]) == text
    assert set(PII_PLACEHOLDERS) == {"phone", "email", "url", "postal", "address", "name"}
    from voc.errors import ConfigError

    with pytest.raises(ConfigError, match="valid kinds are"):
        mask_pii(text, kinds=["ssn"])


def _print(title: str, f: dict) -> None:
    print(f"== {title}: {f['n_sentences']} sentences")
    for kind, (hit, n) in sorted(f["counts"].items()):
        print(f"recall {kind:7s} {hit}/{n} = {hit / n:.1%}")
    print(f"false masks of protected words: {len(f['false_masks'])}/{f['protected']} = {f['false_mask_rate']:.1%}")
    for kind, value, out in f["misses"]:
        print(f"  missed {kind}: {value!r} in {out!r}")
    for word, out in f["false_masks"]:
        print(f"  false mask: {word!r} in {out!r}")


if __name__ == "__main__":
    _print("tuning set " + DATA.name, measure(DATA))
    _print("held-out set " + HELDOUT.name, measure(HELDOUT))
    _print("both (what the tests check)", measure())
