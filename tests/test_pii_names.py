"""Name masking on generated call notes (``tests/_name_notes.py``): recall ≥ 97% on both halves
of the pools for each of the seeds :data:`SEEDS`, few false masks of the words that sit where
names sit. Print the figures per seed (default: :data:`SEEDS`, 0-9; ``--misses`` lists what was missed)::

    PYTHONPATH=. .venv/bin/python tests/test_pii_names.py 0 1 2 3 4 5 6 7 8 9

A planted name counts as masked only when none of its characters is left where it was: each
character of it occurs in the output at most as often as in the note minus the planted names, so
``勅使［氏名］様`` (half of 勅使河原 left) is a miss.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests._name_notes import generate
from voc.clean import mask_pii, normalize_text

N_NOTES = 300
#: The seeds the test measures: each one's held-out half must reach 97% on its own.
SEEDS = tuple(range(10))


def measure(records: list[dict]) -> dict:
    """Recall per shape and overall, and the false masks of protected words."""
    hit: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses: list[tuple[str, str]] = []
    false_masks: list[tuple[str, str]] = []
    protected = 0
    for rec in records:
        text = normalize_text(rec["text"])
        out = mask_pii(text)
        planted = Counter("".join(rec["names"]))
        for piece in rec["names"]:
            total[rec["shape"]] += 1
            if all(out.count(c) <= text.count(c) - planted[c] for c in set(piece)):
                hit[rec["shape"]] += 1
            else:
                misses.append((piece, out))
        for word in rec["protect"]:
            protected += 1
            if out.count(word) < text.count(word):
                false_masks.append((word, out))
    n = sum(total.values())
    return {
        "recall": sum(hit.values()) / n,
        "names": n,
        "by_shape": {s: (hit[s], total[s]) for s in sorted(total)},
        "misses": misses,
        "protected": protected,
        "false_mask_rate": len(false_masks) / max(1, protected),
        "false_masks": false_masks,
    }


@pytest.fixture(scope="module")
def figures() -> dict[tuple[int, str], dict]:
    return {
        (seed, pool): measure(generate(N_NOTES, seed=seed, pool=pool)) for seed in SEEDS for pool in ("tune", "heldout")
    }


def test_the_set_has_every_leak_shape(figures: dict[tuple[int, str], dict]) -> None:
    for f in figures.values():
        assert f["names"] >= 300
        shapes = f["by_shape"]
        for shape in ("sei", "sei1", "rare", "mei_title", "kata", "full", "list", "particle"):
            assert shapes[shape][1] >= 15, (shape, shapes)
        assert f["protected"] >= 50


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("pool", ["tune", "heldout"])
def test_name_recall_at_least_97_percent(figures: dict[tuple[int, str], dict], pool: str, seed: int) -> None:
    f = figures[(seed, pool)]
    assert f["recall"] >= 0.97, (f"{f['recall']:.1%}", f["misses"])


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("pool", ["tune", "heldout"])
def test_words_before_titles_are_rarely_masked(figures: dict[tuple[int, str], dict], pool: str, seed: int) -> None:
    assert figures[(seed, pool)]["false_mask_rate"] <= 0.05, figures[(seed, pool)]["false_masks"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("林様に連絡", "［氏名］様に連絡"),
        ("御手洗様と面談", "［氏名］様と面談"),
        ("太郎部長に説明", "［氏名］部長に説明"),
        ("亮課长に確認", "［氏名］課长に確認"),
        ("ワン主任が同席", "［氏名］主任が同席"),
        ("スミス様より返信", "［氏名］様より返信"),
        ("山田・佐藤の両名", "［氏名］・［氏名］の両名"),
        ("御社様と担当者様へ、部長が不在", "御社様と担当者様へ、部長が不在"),
    ],
)
def test_leak_shapes_of_issue_28(text: str, expected: str) -> None:
    assert mask_pii(normalize_text(text)) == expected


def _table(seeds: list[int], *, misses: bool = False) -> None:
    """Print recall and false masks per seed and half (the table of ``SECURITY.md``)."""
    print(f"seed | tune recall (names) | held-out recall (names) | false masks tune / held-out   [{N_NOTES} notes]")
    for seed in seeds:
        f = {pool: measure(generate(N_NOTES, seed=seed, pool=pool)) for pool in ("tune", "heldout")}
        t, h = f["tune"], f["heldout"]
        print(
            f"{seed:4d} | {t['recall']:.1%} ({t['names']}) | {h['recall']:.1%} ({h['names']}) | "
            f"{len(t['false_masks'])}/{t['protected']} / {len(h['false_masks'])}/{h['protected']}"
        )
        for pool in ("tune", "heldout") if misses else ():
            for piece, out in f[pool]["misses"]:
                print(f"     {pool} missed {piece!r} in {out!r}")
            for word, out in f[pool]["false_masks"]:
                print(f"     {pool} false mask {word!r} in {out!r}")


if __name__ == "__main__":
    import sys

    args = sys.argv[1:]
    _table([int(a) for a in args if a.isdigit()] or list(SEEDS), misses="--misses" in args)
