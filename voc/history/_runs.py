"""The match and history stages: stable theme ids across scheduled runs.

After the themes are fitted, :func:`stable_theme_ids` matches them to the last comparable run of
the history (:mod:`voc.history.matching`) and applies the taxonomy's merges; once the report is
written, :func:`record_run` adds the run to the history (:mod:`voc.history.store`, DuckDB) and
brings the taxonomy file up to date.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voc.taxonomy import STATUS_NEW, Taxonomy

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from voc.report.record import RunRecord

__all__ = [
    "history_path", "previous_run", "previous_auto_k", "PreviousRun", "load_previous", "StableIds", "stable_theme_ids",
    "record_run",
]

log = logging.getLogger(__name__)


def history_path(path: str | None, out_dir: str) -> Path:
    """``[history] path``, or ``history.duckdb`` beside the output folder *out_dir*."""
    if path:
        return Path(path)
    return Path(out_dir).parent / "history.duckdb"


@dataclass
class StableIds:
    """Stable ids of one run (see :func:`stable_theme_ids`)."""

    run_id: str
    previous_run_id: str
    reported: np.ndarray  # per document: reported theme id (after merges), -1 = none
    themes: pd.DataFrame  # per fitted theme: cluster, theme_id, reported_as, status, size + signature
    keywords: dict[int, list[str]]  # reported id -> keywords, best first
    status: dict[int, str]  # reported id -> "新規" or ""
    taxonomy: Taxonomy
    previous: pd.DataFrame | None = None  # previous run's themes (pre-merge), or None
    previous_n_kept: int = 0
    match_scores: dict[int, float] = field(default_factory=dict)
    previous_subthemes: pd.DataFrame | None = None  # previous run's sub-themes (RunStore.subthemes), or None
    next_id: int = 1  # the first id a new sub-theme may get: above every id used, this run's themes' too

    def label(self, theme_id: int, default: str) -> str:
        """The taxonomy name of *theme_id*, else *default* (the automatic label)."""
        return self.taxonomy.name_of(theme_id, default)


def previous_run(store: Any, text_columns: Sequence[str], unit: str | None = None) -> dict[str, Any] | None:
    """The latest run of the history that analysed the same *text_columns* in the same *unit*
    (``statement`` or ``row``; ``None``: any; runs recorded before ``[units]`` existed are ``row``
    runs): runs of other configs sharing the history file are not comparable."""
    runs = store.runs()
    for rec in reversed(runs.to_dict("records")):
        columns = _run_options(rec).get("text_columns")
        if unit is not None and _run_unit(rec) != unit:
            continue
        if columns is None or list(columns) == list(text_columns):
            return rec
    return None


def _run_unit(rec: dict[str, Any]) -> str:
    """What a recorded run gave themes to: its ``[units] unit``, ``row`` before that section existed."""
    try:
        options = json.loads(rec.get("config") or "{}")
    except ValueError:
        return "row"
    units = options.get("units") if isinstance(options, dict) else None
    return str(units.get("unit", "row")) if isinstance(units, dict) else "row"


def _run_options(rec: dict[str, Any]) -> dict[str, Any]:
    """A recorded run's ``[input]`` and ``[model]`` options, flat (runs before voc 0.6 stored a flat dict)."""
    try:
        options = json.loads(rec.get("config") or "{}")
    except ValueError:
        return {}
    if isinstance(options.get("input"), dict):
        return {**options.get("model", {}), **options["input"]}
    return options


def previous_auto_k(path: Path | None, text_columns: Sequence[str], unit: str | None = None) -> int | None:
    """The number of themes auto mode chose in the last comparable run of the history at *path*
    (same *text_columns*, ``n_themes = "auto"``), or ``None``: no history, or a last run that did not
    choose one. The next auto-mode fit keeps it unless another k is clearly more stable
    (``[model] auto_k_margin``, :func:`voc.themes._autok.choose_k`). Call it only in auto mode."""
    import pandas as pd

    if path is None or not Path(path).exists():
        return None
    from voc.history.store import RunStore

    with RunStore(path) as store:
        previous = previous_run(store, text_columns, unit)
    if previous is None:
        return None
    k = previous.get("auto_k")
    if _run_options(previous).get("n_themes") != "auto" or k is None or pd.isna(k):
        return None
    return int(k)


@dataclass
class PreviousRun:
    """The previous comparable run of a history, as plain data (:func:`load_previous`): what
    :func:`stable_theme_ids` and :func:`voc.history.stable_subtheme_ids` match against.

    Attributes
    ----------
    run_id : its run id (``""``: no previous run)
    n_kept : its analysed rows
    themes : its themes (:meth:`voc.history.store.RunStore.themes`), or None
    subthemes : its sub-themes (:meth:`voc.history.store.RunStore.subthemes`), or None
    max_id : the largest theme or sub-theme id the history ever gave (0: none)
    """

    run_id: str = ""
    n_kept: int = 0
    themes: pd.DataFrame | None = None
    subthemes: pd.DataFrame | None = None
    max_id: int = 0


def load_previous(history: Path | None, text_columns: Sequence[str], *, read_only: bool = False,
                  unit: str | None = None) -> PreviousRun | None:
    """The latest run of the *history* file with the same *text_columns* (:func:`previous_run`) as
    plain data; ``None`` without a history (*history* ``None``). *read_only* opens the history
    without creating or migrating it (the notebook editor)."""
    if history is None:
        return None
    from voc.history.store import RunStore

    out = PreviousRun()
    with RunStore(history, read_only=read_only) as store:
        last = previous_run(store, text_columns, unit)
        out.max_id = store.max_theme_id()
        if last is not None:
            out.run_id, out.n_kept = str(last["run_id"]), int(last["n_kept"] or 0)
            out.themes = store.themes(out.run_id)
            out.subthemes = store.subthemes(out.run_id)
    return out


def _new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def stable_theme_ids(
    labels: np.ndarray,
    tokens: list[list[str]],
    keywords: dict[int, list[tuple[str, float]]],
    taxonomy: Taxonomy,
    *,
    history: Path | None = None,
    text_columns: Sequence[str] = (),
    threshold: float = 0.5,
    read_only: bool = False,
    previous: PreviousRun | None = None,
    unit: str | None = None,
) -> StableIds:
    """Match the fitted themes (*labels*, ``ThemeModel.keywords_``) to the previous run's.

    Matches against *previous* (:func:`load_previous`; plain data), or reads the latest run of
    the *history* file (``None``: no history) with the same *text_columns*; matches by
    :func:`voc.history.matching.match_themes`, then applies the taxonomy's ``merge_into`` links. The status
    is ``"新規"`` for themes without a match, but only when there was something to match against
    (a previous run or taxonomy entries with keywords). *read_only* opens the history without
    creating or migrating it (the notebook editor, :class:`voc.edit.ThemeEditor`). *unit*
    (``statement`` or ``row``; ``None``: any) reads only the history's runs in that unit, as the
    report matches.
    """
    import numpy as np

    from voc.history.matching import combine_signatures, match_themes, theme_signatures

    sig = theme_signatures(labels, tokens, keywords)
    sig = sig.sort_values(["size", "cluster"], ascending=[False, True], kind="stable").reset_index(drop=True)
    if previous is None:
        previous = load_previous(history, text_columns, read_only=read_only, unit=unit) or PreviousRun()
    prev_id, prev_kept, max_id, previous_sub = previous.run_id, previous.n_kept, previous.max_id, previous.subthemes
    next_id = max([max_id, *taxonomy.ids(), 0]) + 1
    mapping, _ = match_themes(
        sig, previous.themes, next_id=next_id, threshold=threshold, taxonomy=taxonomy
    )
    comparable = previous.themes is not None or any(e.keywords or e.seed_words for e in taxonomy.themes)
    if not comparable:
        mapping["status"] = ""
    themes = sig.merge(mapping, on="cluster")
    themes["reported_as"] = [taxonomy.resolve(int(t)) for t in themes["theme_id"]]
    by_cluster = dict(zip(themes["cluster"], themes["reported_as"], strict=True))
    reported = np.asarray([by_cluster.get(int(c), -1) if c >= 0 else -1 for c in labels], dtype=int)
    groups: dict[int, list[int]] = {}
    for tid, rid in zip(themes["theme_id"], themes["reported_as"], strict=True):
        groups.setdefault(int(rid), []).append(int(tid))
    combined = combine_signatures(themes, groups)
    kw = {int(r.theme_id): list(r.keywords) for r in combined.itertuples(index=False)}
    status = {
        rid: STATUS_NEW if all(themes.loc[themes["theme_id"] == p, "status"].iloc[0] == STATUS_NEW for p in parts) else ""
        for rid, parts in groups.items()
    }
    return StableIds(
        run_id=_new_run_id(),
        previous_run_id=prev_id,
        reported=reported,
        themes=themes,
        keywords=kw,
        status=status,
        taxonomy=taxonomy,
        previous=previous.themes,
        previous_n_kept=prev_kept,
        match_scores={int(t): float(s) for t, s in zip(themes["theme_id"], themes["score"], strict=True)},
        previous_subthemes=previous_sub,
        next_id=max([next_id, *(int(t) + 1 for t in themes["theme_id"])]),
    )


def record_run(
    stable: StableIds,
    run: RunRecord,
    labels: Mapping[int, str],
    assignments: pd.DataFrame,
    written: Mapping[str, str] | None = None,
    *,
    history: Path | None,
    id_column: str | None = None,
    taxonomy_path: str | None = None,
    update_taxonomy: bool = True,
    subthemes: pd.DataFrame | None = None,
    after_record: Callable[[], object] | None = None,
) -> None:
    """Add this run to the *history* file (``None``: none) and bring the taxonomy file at
    *taxonomy_path* up to date when *update_taxonomy* (after a good report).

    A run without history (``--no-history``) leaves the taxonomy file as it is, not even creating
    it: the ids it gave its themes are recorded nowhere, so a later run would give them to other
    themes, and entries written under them (names, 新規) would name the wrong themes.

    *run* is the record ``run.json`` was written from; *labels* the reported themes' names;
    *assignments* needs ``row`` and ``theme_id`` (reported ids), *id_column* when given and
    ``subtheme_id`` when there are sub-themes; *subthemes* holds one row per sub-theme found
    (``subtheme_id``, ``theme_id`` the theme it was found in, ``reported_as``, ``reported_theme``,
    ``label``, ``size``, ``share``, ``status``, the signature columns and ``written_keywords``). *written* maps keyword tokens to how the notes spell them
    (:func:`voc.label.written_keywords`), stored beside the tokens for ``voc history --run``.
    *after_record* is called once the run is committed to the history, before the taxonomy is
    saved: the pipeline switches the ``latest`` link there, so that the link never points at a
    run the history lacks, even when the process is killed.
    """
    from voc.taxonomy import save_taxonomy

    n_kept = int(run.rows.kept)
    th = stable.themes.copy()
    th["label"] = [labels.get(int(rid), "") for rid in th["reported_as"]]
    th["share"] = th["size"] / n_kept if n_kept else 0.0
    spell = written or {}
    th["written_keywords"] = [[spell.get(w, w) for w in words] for words in th["keywords"]]
    if history is not None:
        _store_run(history, stable, run, th, assignments, subthemes, id_column)
    if after_record is not None:
        after_record()
    if taxonomy_path and update_taxonomy and history is not None:
        _update_taxonomy(stable.taxonomy, th, subthemes)
        save_taxonomy(stable.taxonomy, taxonomy_path)


def _store_run(
    history: Path, stable: StableIds, run: RunRecord, th: pd.DataFrame, assignments: pd.DataFrame,
    subthemes: pd.DataFrame | None, id_column: str | None,
) -> None:
    """Write the run to the *history* file (:meth:`voc.history.store.RunStore.record_run`): its
    record, its themes *th* (:func:`record_run`'s columns), its assignments (``row``, ``theme_id``,
    ``subtheme_id`` with sub-themes, ``record_id`` from *id_column*) and its sub-themes."""
    import pandas as pd

    from voc.history.store import RunStore

    asg = pd.DataFrame({"row": assignments["row"], "theme_id": assignments["theme_id"]})
    if "subtheme_id" in assignments:
        asg["subtheme_id"] = assignments["subtheme_id"]
    if id_column and id_column in assignments:
        asg["record_id"] = assignments[id_column].astype(str)
    record = {
        "run_id": stable.run_id,
        "created_at": datetime.now(UTC),
        "input_path": run.input.path,
        "input_checksum": run.input.checksum,
        "config": run.options,
        "n_read": run.rows.read,
        "n_kept": int(run.rows.kept),
        "n_rejected": run.rows.rejected,
        "n_themes": run.themes.n_themes,
        "n_unassigned": run.themes.unassigned,
        "voc_version": run.voc_version,
        "since": run.options.get("input", {}).get("since"),
        "until": run.options.get("input", {}).get("until"),
        "previous_run_id": stable.previous_run_id,
        "auto_k": run.themes.auto_k.chosen if run.themes.auto_k else None,
    }
    with RunStore(history) as store:
        store.record_run(record, th, asg, subthemes)


def _update_taxonomy(tax: Taxonomy, th: pd.DataFrame, subthemes: pd.DataFrame | None) -> None:
    """Add this run's new themes and sub-themes to the taxonomy *tax* (named by the run, 新規),
    refresh every entry's keywords, and move a sub-theme found in another theme with its deals
    unless it was moved by hand."""
    for t in th.itertuples(index=False):
        is_new = tax.get(int(t.theme_id)) is None
        entry = tax.ensure(int(t.theme_id), keywords=list(t.keywords)[:10])
        if is_new:
            entry.name = t.label
            entry.status = STATUS_NEW
    for sub in (subthemes.itertuples(index=False) if subthemes is not None else ()):
        is_new = tax.subtheme(int(sub.subtheme_id)) is None
        entry = tax.ensure_subtheme(int(sub.subtheme_id), int(sub.theme_id), keywords=list(sub.keywords)[:10])
        if is_new:
            entry.name = str(sub.label)
        elif int(sub.theme_id) != entry.origin:  # found in another theme this run
            if entry.theme == entry.origin:  # not moved by hand: it follows its deals
                entry.theme = int(sub.theme_id)
            entry.found_in = int(sub.theme_id)
