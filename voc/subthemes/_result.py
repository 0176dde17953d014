"""The sub-themes of one report run, from the split (:func:`voc.subthemes.find_subthemes`) and
their stable ids (:func:`voc.history.stable_subtheme_ids`) to the report's
:class:`~voc.report.model.SubthemeRow` lists and the history's sub-theme table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from voc.history import SubthemeIds
    from voc.subthemes._split import Subthemes

__all__ = ["SubthemeResult", "split_subthemes"]

#: Keyword tokens kept per sub-theme found (for its stable id and the taxonomy).
N_KEYWORDS = 10


def split_subthemes(
    texts: Sequence[str], tokens: Sequence[Sequence[str]], embeddings: np.ndarray, labels: np.ndarray, *,
    theme_names: Mapping[int, Sequence[str]] | None = None, namer: Any = None, random_state: int = 42,
    n_jobs: int | None = -1,
) -> tuple[Subthemes, dict[tuple[int, int], list[str]]]:
    """The sub-theme split of every theme of *labels* (:func:`voc.subthemes.find_subthemes`) and
    each sub-theme's keyword tokens against its siblings, ``{(theme id, local index): tokens}``
    (:data:`N_KEYWORDS` each): the one sequence the report, the editor and ``voc evaluate`` share."""
    from voc.subthemes._split import find_subthemes, subtheme_keywords

    found = find_subthemes(texts, tokens, embeddings, labels, theme_names=theme_names, namer=namer,
                           random_state=random_state, n_jobs=n_jobs)
    keywords: dict[tuple[int, int], list[str]] = {}
    for theme_id in sorted({int(t) for t in found.table["theme_id"]}):
        idx = np.flatnonzero(labels == theme_id)
        for local, words in subtheme_keywords([tokens[i] for i in idx], found.assignments[idx], N_KEYWORDS).items():
            keywords[(theme_id, int(local))] = words
    return found, keywords


@dataclass
class SubthemeResult:
    """What the sub-theme stage found: the split, the stable ids and each sub-theme's keyword tokens
    (``{(theme it was found in, local index): tokens}``)."""

    found: Subthemes
    ids: SubthemeIds | None  # None when no stable ids were asked for (voc evaluate)
    keywords: dict[tuple[int, int], list[str]]
    naming: str = "phrases"

    def _found_row(self, theme_id: int, local: int) -> dict[str, Any]:
        t = self.found.table
        hit = t[(t["theme_id"] == theme_id) & (t["subtheme"] == local)]
        return hit.iloc[0].to_dict() if len(hit) else {}

    def found_label(self, theme_id: int, local: int) -> str:
        """The name the split gave sub-theme *local* of theme *theme_id* (``""``: none)."""
        return str(self._found_row(int(theme_id), int(local)).get("label", ""))

    def _parts(self) -> dict[int, list[Any]]:
        """Reported sub-theme id → the sub-themes found that it reports (largest first)."""
        out: dict[int, list[Any]] = {}
        table = self.ids.table.sort_values("size", ascending=False, kind="stable")
        for r in table.itertuples(index=False):
            out.setdefault(int(r.reported_as), []).append(r)
        return out

    def _promoted(self) -> dict[int, Any]:
        return {rid: parts[0] for rid, parts in self._parts().items()
                if (self.ids.subthemes[(self.ids.themes == rid)] == -1).all() and (self.ids.themes == rid).any()
                and parts[0].reported_theme == rid}

    def promoted_keywords(self) -> dict[int, list[str]]:
        """Keyword tokens of the sub-themes the taxonomy promoted to themes (theme id = their id)."""
        return {rid: self.keywords.get((int(p.theme_id), int(p.local)), []) for rid, p in self._promoted().items()}

    def promoted_names(self) -> dict[int, str]:
        return {rid: self.found_label(p.theme_id, p.local) for rid, p in self._promoted().items()}

    def status_of(self, theme_id: int) -> str:
        """A promoted theme's status: its sub-theme's."""
        return self.ids.status.get(int(theme_id), "")

    def describe(self, written: Mapping[str, str], taxonomy: Any) -> dict[int, list[dict[str, Any]]]:
        """Each reported theme's sub-themes, largest first (ties by id): ``subtheme_id``, ``label``
        (the taxonomy's name, else the phrases, else the keywords), ``size``, ``share`` (of the
        theme), ``keywords`` (as the notes spell them), ``quotes`` (representative) and ``status``."""
        from voc.label import distinct_keywords, label_from_keywords

        assert self.ids is not None, "no stable sub-theme ids"
        themes, subs = self.ids.themes, self.ids.subthemes
        parts = self._parts()
        out: dict[int, list[dict[str, Any]]] = {}
        for theme_id in sorted({int(t) for t in themes[subs >= 0]}):
            in_theme = themes == theme_id
            entries = []
            for sid in sorted({int(s) for s in subs[in_theme] if s >= 0}):
                first = parts[sid][0]
                found = self._found_row(int(first.theme_id), int(first.local))
                words = [written.get(w, w) for w in self.keywords.get((int(first.theme_id), int(first.local)), [])]
                default = str(found.get("label", "")) if self.naming == "phrases" else label_from_keywords(words)
                entry = taxonomy.subtheme(sid)
                size = int((in_theme & (subs == sid)).sum())
                entries.append({
                    "subtheme_id": sid, "label": entry.name if entry is not None and entry.name else default,
                    "size": size, "share": size / max(1, int(in_theme.sum())), "keywords": distinct_keywords(words, 8),
                    "quotes": list(found.get("quotes", [])), "status": self.ids.status.get(sid, ""),
                })
            out[theme_id] = sorted(entries, key=lambda e: (-e["size"], e["subtheme_id"]))
        return out

    def entries(self, kept: pd.DataFrame, embeddings: np.ndarray, written: Mapping[str, str], taxonomy: Any, *,
                date_column: str | None = None, outcome_column: str | None = None, segment_columns: Sequence[str] = (),
                results: Mapping[int, str] | None = None) -> dict[int, list[dict[str, Any]]]:
        """:meth:`describe` with each sub-theme's ``quote_records``, quotes in context
        (:func:`voc.label.quote_records`; *kept*: the analysed units' records): the fields of the
        report's :class:`~voc.report.model.SubthemeRow` but the insights."""
        from voc.label import quote_records
        from voc.report import MAX_SUBTHEME_QUOTES

        assert self.ids is not None, "no stable sub-theme ids"
        themes, subs = self.ids.themes, self.ids.subthemes
        described = self.describe(written, taxonomy)
        for theme_id, entries in described.items():
            in_theme = themes == theme_id
            # as many as a sub-theme's section shows (the theme page lists up to 1,000 of the theme's)
            quotes = quote_records(kept, np.where(in_theme, subs, -1), embeddings, sorted(e["subtheme_id"] for e in entries),
                                   results=results, max_records=MAX_SUBTHEME_QUOTES, date_column=date_column,
                                   outcome_column=outcome_column, segment_columns=segment_columns)
            for e in entries:
                e["quote_records"] = quotes[e["subtheme_id"]]
        return described

    def history_table(self, labels: Mapping[int, str], written: Mapping[str, str]) -> pd.DataFrame | None:
        """One row per sub-theme found, for the run history (:meth:`voc.history.store.RunStore.record_run`),
        *labels* the reported sub-themes' names; ``None`` when no theme was split."""
        if self.ids is None or self.ids.table.empty:
            return None
        t = self.ids.table.copy()
        theme_sizes = {int(k): int(v) for k, v in zip(*np.unique(self.ids.themes[self.ids.themes >= 0],
                                                                   return_counts=True), strict=True)}
        t["label"] = [labels.get(int(r), "") for r in t["reported_as"]]
        t["share"] = [size / max(1, theme_sizes.get(int(th), 0)) for size, th in zip(t["size"], t["reported_theme"],
                                                                                      strict=True)]
        t["written_keywords"] = [[written.get(w, w) for w in words] for words in t["keywords"]]
        return t
