"""The benchmark's estimators (bench/ is measured, not asserted on; these check the arithmetic)."""

from __future__ import annotations

import time

from bench._tokenizer import _block_minimum, _each


def test_block_minimum_discards_a_burst_in_one_round() -> None:
    calls = {"n": 0}

    def steady(text: str) -> None:
        time.sleep(0.001)

    def hit_by_a_burst(text: str) -> None:
        calls["n"] += 1
        time.sleep(0.001 + (0.05 if calls["n"] == 1 else 0.0))  # the first call of round 0 is slow

    texts = ["a"] * 6
    best = _block_minimum({"steady": _each(steady), "burst": _each(hit_by_a_burst)}, texts, rounds=3, block_size=2)
    assert calls["n"] == 18  # every text, every round
    assert best["steady"] >= 0.006 and best["burst"] >= 0.006  # never faster than the work itself
    assert best["burst"] < 0.006 + 0.04  # the 50 ms burst of round 0 is not in the sum


def test_block_minimum_keeps_a_real_difference() -> None:
    def fast(text: str) -> None:
        time.sleep(0.001)

    def slow(text: str) -> None:
        time.sleep(0.004)

    best = _block_minimum({"fast": _each(fast), "slow": _each(slow)}, ["x"] * 4, rounds=2, block_size=2)
    assert best["slow"] > best["fast"] + 0.008
