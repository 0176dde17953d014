"""Themes and sub-themes as one node type (after turftopic's ``TopicNode``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ThemeNode", "node_table", "NODE_COLUMNS"]

#: Columns of :func:`node_table`.
NODE_COLUMNS = ["theme_id", "parent_id", "level", "label", "size", "share", "keywords", "status"]


@dataclass
class ThemeNode:
    """A theme (``level`` 0, ``parent`` None) or a sub-theme (``level`` 1, ``parent`` its theme).

    Attributes
    ----------
    id : stable id (themes and sub-themes share one id space)
    parent : the theme's id for a sub-theme, None for a theme
    level : 0 theme, 1 sub-theme
    label : its name as the report shows it (taxonomy name, else phrases, else keywords)
    keywords : keywords as the texts spell them, best first
    size : units it holds
    share : of all units (a theme) or of its theme's units (a sub-theme)
    status : ``"新規"`` when new against the history or taxonomy, else ``""``
    """

    id: int
    parent: int | None
    level: int
    label: str
    keywords: list[str] = field(default_factory=list)
    size: int = 0
    share: float = 0.0
    status: str = ""


def node_table(nodes: Sequence[ThemeNode], level: int | None = None) -> pd.DataFrame:
    """One row per node (of *level* only, when given): ``theme_id``, ``parent_id`` (``-1`` for a
    theme), ``level``, ``label``, ``size``, ``share``, ``keywords`` (list), ``status``; themes
    largest first, each followed by its sub-themes, largest first."""
    import pandas as pd

    themes = sorted((n for n in nodes if n.level == 0), key=lambda n: (-n.size, n.id))
    ordered = []
    for t in themes:
        ordered.append(t)
        ordered += sorted((n for n in nodes if n.parent == t.id), key=lambda n: (-n.size, n.id))
    rows = [(n.id, -1 if n.parent is None else n.parent, n.level, n.label, n.size, n.share, list(n.keywords), n.status)
            for n in ordered if level is None or n.level == level]
    return pd.DataFrame(rows, columns=NODE_COLUMNS)
