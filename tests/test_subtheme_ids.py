"""Stable sub-theme ids: matched run to run within their theme; the taxonomy's sub-theme edits."""

from __future__ import annotations

import numpy as np
import pandas as pd

from voc.history import stable_subtheme_ids
from voc.taxonomy import Taxonomy

# theme 3 holds two sub-themes (initial fees, monthly fees), theme 5 is not split
TOKENS = [["初期", "費用", "高い"]] * 4 + [["月額", "料金", "高い"]] * 3 + [["導入", "支援"]] * 2
THEMES = np.array([3] * 7 + [5] * 2)
LOCAL = np.array([0] * 4 + [1] * 3 + [-1] * 2)
KEYWORDS = {(3, 0): ["初期", "費用"], (3, 1): ["月額", "料金"]}


def _stored(ids) -> pd.DataFrame:
    """The table as the history stores it (voc.history.store.RunStore.subthemes)."""
    t = ids.table
    return t[["subtheme_id", "theme_id", "reported_as", "keywords", "keyword_weights", "centroid_terms",
              "centroid_weights", "size"]].assign(status=t["status"])


def test_first_run_new_ids_then_the_next_run_keeps_them():
    first = stable_subtheme_ids(THEMES, LOCAL, TOKENS, KEYWORDS, Taxonomy(), previous=None, next_id=10)
    assert first.subthemes.tolist() == [10] * 4 + [11] * 3 + [-1] * 2  # larger first
    assert first.themes.tolist() == THEMES.tolist() and set(first.status.values()) == {""}  # nothing to compare
    # the next run finds the same two groups in the other order: they keep their ids
    local2 = np.array([1] * 4 + [0] * 3 + [-1] * 2)
    kw2 = {(3, 1): ["初期", "費用"], (3, 0): ["月額", "料金"]}
    again = stable_subtheme_ids(THEMES, local2, TOKENS, kw2, Taxonomy(), previous=_stored(first), next_id=20)
    assert again.subthemes.tolist() == first.subthemes.tolist()
    assert again.status == {10: "", 11: ""}
    # a group that matches nothing gets a new id above every id used, and is new
    tokens3 = TOKENS[:4] + [["セキュリティ", "監査"]] * 3 + TOKENS[7:]
    kw3 = {(3, 0): ["初期", "費用"], (3, 1): ["セキュリティ", "監査"]}
    third = stable_subtheme_ids(THEMES, LOCAL, tokens3, kw3, Taxonomy(), previous=_stored(first), next_id=20)
    assert third.subthemes.tolist()[:7] == [10] * 4 + [20] * 3 and third.status == {10: "", 20: "新規"}


def test_the_taxonomy_merges_moves_and_promotes_subthemes():
    first = stable_subtheme_ids(THEMES, LOCAL, TOKENS, KEYWORDS, Taxonomy(), previous=None, next_id=10)
    tax = Taxonomy()
    for sid in (10, 11):
        tax.ensure_subtheme(sid, 3, keywords=KEYWORDS[(3, sid - 10)])
    tax.merge_subtheme(11, 10)
    merged = stable_subtheme_ids(THEMES, LOCAL, TOKENS, KEYWORDS, tax, previous=_stored(first), next_id=20)
    assert merged.subthemes.tolist()[:7] == [10] * 7 and merged.themes.tolist() == THEMES.tolist()
    tax = Taxonomy()
    tax.ensure_subtheme(10, 3, keywords=["初期", "費用"])
    tax.ensure_subtheme(11, 3, keywords=["月額", "料金"])
    tax.move_subtheme(11, 5)
    moved = stable_subtheme_ids(THEMES, LOCAL, TOKENS, KEYWORDS, tax, previous=None, next_id=20)
    assert moved.themes.tolist() == [3] * 4 + [5] * 3 + [5] * 2 and moved.subthemes.tolist()[4:7] == [11] * 3
    tax.promote_subtheme(10)
    promoted = stable_subtheme_ids(THEMES, LOCAL, TOKENS, KEYWORDS, tax, previous=None, next_id=20)
    assert promoted.themes.tolist()[:4] == [10] * 4 and promoted.subthemes.tolist()[:4] == [-1] * 4
