"""Stable sub-theme ids: a theme's sub-themes matched to the previous run's sub-themes of the same
theme, as :func:`voc.history.stable_theme_ids` matches themes; then the taxonomy's sub-theme edits
(merges, moves to another theme, promotion to a theme of its own) applied.

Sub-theme ids share the themes' id space (a new one gets an id above every theme and sub-theme id
used before), so that a promoted sub-theme can keep its id as a theme.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from voc.taxonomy import STATUS_NEW, Taxonomy, ThemeEntry

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["SubthemeIds", "stable_subtheme_ids"]


@dataclass
class SubthemeIds:
    """Stable sub-theme ids of one run (:func:`stable_subtheme_ids`).

    Attributes
    ----------
    themes : ndarray of shape (n_documents,)
        Each document's reported theme after the taxonomy's moves and promotions (``-1``: none).
    subthemes : ndarray of shape (n_documents,)
        Each document's reported sub-theme (``-1``: its theme is not split, or the sub-theme was
        promoted to a theme).
    table : DataFrame
        One row per sub-theme found: ``theme_id`` (the theme it was found in), ``local`` (its index
        there), ``subtheme_id`` (stable), ``reported_as`` (after merges), ``reported_theme`` (after
        moves and promotions), ``status``, ``score``, ``size`` and the signature columns of
        :func:`voc.history.matching.theme_signatures` (for the next run).
    status : dict
        Reported sub-theme id → ``"新規"`` or ``""``.
    """

    themes: np.ndarray
    subthemes: np.ndarray
    table: pd.DataFrame
    status: dict[int, str] = field(default_factory=dict)


def _weighted(words: Sequence[Any]) -> list[tuple[str, float]]:
    """Keywords as (word, weight): given weights kept, plain words weighted by rank."""
    return [(w[0], float(w[1])) if isinstance(w, tuple) else (str(w), 1.0 / (i + 1)) for i, w in enumerate(words)]


def _match_across_themes(table: pd.DataFrame, previous: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Second pass: a sub-theme that matched nothing in its own theme is matched to the previous
    sub-themes nobody matched, in any theme (the same deals can fall in another theme when the
    themes are fitted again)."""
    from voc.history.matching import match_themes

    new = table[table["previous_id"] < 0]
    rest = previous[~previous["subtheme_id"].isin(set(table["previous_id"]))]
    if new.empty or rest.empty:
        return table
    current = new.reset_index().rename(columns={"index": "cluster"})
    prev = rest.drop(columns=["theme_id"]).rename(columns={"subtheme_id": "theme_id"})
    mapping, _ = match_themes(current, prev, next_id=-1, threshold=threshold)
    table = table.copy()
    for row, prev_id, score in zip(mapping["cluster"], mapping["previous_id"], mapping["score"], strict=True):
        if prev_id >= 0:
            table.loc[row, ["subtheme_id", "previous_id", "score", "status"]] = [int(prev_id), int(prev_id), score, ""]
    table["subtheme_id"] = table["subtheme_id"].astype(int)
    return table


def stable_subtheme_ids(
    themes: np.ndarray,
    local: np.ndarray,
    tokens: Sequence[Sequence[str]],
    keywords: Mapping[tuple[int, int], Sequence[Any]],
    taxonomy: Taxonomy,
    *,
    previous: pd.DataFrame | None,
    next_id: int,
    threshold: float = 0.5,
) -> SubthemeIds:
    """Give every sub-theme a stable id and apply the taxonomy's sub-theme edits.

    Parameters
    ----------
    themes : each document's reported theme id (``-1``: none).
    local : each document's sub-theme within its theme (``0 … k-1``; ``-1``: theme not split).
    tokens : the documents' tokens (for the term centroids).
    keywords : ``{(theme id, local index): keywords}``, best first (words or (word, weight) pairs).
    taxonomy : its ``[[subtheme]]`` entries name, merge, move and promote sub-themes; an entry with
        keywords is a match candidate within its theme even without history.
    previous : the previous comparable run's sub-themes (:meth:`voc.history.store.RunStore.subthemes`)
        or ``None``; a theme's sub-themes are matched to the previous sub-themes found in that theme.
    next_id : the first id a new sub-theme may get (above every theme and sub-theme id used).
    """
    import numpy as np
    import pandas as pd

    from voc.history.matching import match_themes, theme_signatures

    themes = np.asarray(themes, dtype=int)
    local = np.asarray(local, dtype=int)
    rows: list[pd.DataFrame] = []
    comparable = previous is not None and len(previous) > 0
    for theme_id in sorted({int(t) for t in themes[(themes >= 0) & (local >= 0)]}):
        members = np.flatnonzero((themes == theme_id) & (local >= 0))
        kw = {int(c): _weighted(keywords.get((theme_id, int(c)), [])) for c in np.unique(local[members])}
        sig = theme_signatures(local[members], [tokens[i] for i in members], kw)
        sig = sig.sort_values(["size", "cluster"], ascending=[False, True], kind="stable").reset_index(drop=True)
        prev = None
        if comparable:
            part = previous[previous["theme_id"] == theme_id]
            prev = part.drop(columns=["theme_id"]).rename(columns={"subtheme_id": "theme_id"}) if len(part) else None
        own = [e for e in taxonomy.subthemes if e.origin == theme_id and e.keywords]
        candidates = Taxonomy(themes=[ThemeEntry(id=e.id, keywords=list(e.keywords)) for e in own])
        mapping, _ = match_themes(sig, prev, next_id=next_id, threshold=threshold, taxonomy=candidates)
        comparable_here = prev is not None or bool(own)
        if not comparable_here:
            mapping["status"] = ""
        next_id = max(next_id, int(mapping["theme_id"].max()) + 1) if len(mapping) else next_id
        part = sig.merge(mapping.rename(columns={"theme_id": "subtheme_id"}), on="cluster")
        rows.append(part.rename(columns={"cluster": "local"}).assign(theme_id=theme_id))
    table = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(
        columns=["theme_id", "local", "subtheme_id", "previous_id", "status", "score", "size"])
    if comparable and len(table):
        table = _match_across_themes(table, previous, threshold)
    table["reported_as"] = [taxonomy.resolve_subtheme(int(s)) for s in table["subtheme_id"]]
    reported_theme = []
    for fitted_theme, rid in zip(table["theme_id"], table["reported_as"], strict=True):
        entry = taxonomy.subtheme(int(rid))
        if entry is not None and entry.promote:
            reported_theme.append(int(rid))
        elif entry is not None and entry.found_in is not None and entry.theme != entry.found_in:
            reported_theme.append(int(entry.theme))  # moved by hand: its theme is no longer where it was found
        else:
            reported_theme.append(int(fitted_theme))
    table["reported_theme"] = reported_theme
    out_themes = themes.copy()
    out_sub = np.full(len(themes), -1, dtype=int)
    for r in table.itertuples(index=False):
        docs = (themes == r.theme_id) & (local == r.local)
        out_themes[docs] = r.reported_theme
        promoted = taxonomy.subtheme(int(r.reported_as))
        out_sub[docs] = -1 if promoted is not None and promoted.promote else int(r.reported_as)
    status: dict[int, str] = {}
    for rid, part in table.groupby("reported_as"):
        status[int(rid)] = STATUS_NEW if (part["status"] == STATUS_NEW).all() else ""
    return SubthemeIds(themes=out_themes, subthemes=out_sub, table=table, status=status)
