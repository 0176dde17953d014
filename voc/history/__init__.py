"""Run history: stable theme ids across scheduled runs (match and history stages).

:mod:`voc.history.store` keeps the runs in DuckDB, :mod:`voc.history.matching` matches a run's
themes to the previous run's, :mod:`voc.history._runs` holds the two stages the pipeline calls.
"""

from __future__ import annotations

from voc.history._runs import (
    PreviousRun,
    StableIds,
    history_path,
    load_previous,
    previous_auto_k,
    previous_run,
    record_run,
    stable_theme_ids,
)
from voc.history._subthemes import SubthemeIds, stable_subtheme_ids
from voc.history.store import RunStore

__all__ = [
    "RunStore", "PreviousRun", "load_previous", "StableIds", "SubthemeIds", "stable_subtheme_ids", "history_path", "previous_auto_k", "previous_run", "record_run", "stable_theme_ids",
]
