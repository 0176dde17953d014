"""The table model behind every report format."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["ThemeRow", "ReportModel"]


@dataclass
class ThemeRow:
    """One theme as reports show it."""

    theme_id: int
    label: str
    size: int
    share: float
    keywords: list[str]
    quotes: list[str]


@dataclass
class ReportModel:
    """Everything a report renders; built once by the pipeline, rendered by each format.

    ``rows`` holds read/kept/rejected counts; ``rejected_by_reason`` maps a reason key to a count.
    """

    title: str
    input_name: str
    themes: list[ThemeRow]
    rows: dict[str, int]
    rejected_by_reason: dict[str, int]
    n_unassigned: int
    options: dict[str, Any] = field(default_factory=dict)
    version: str = ""

    def theme_records(self) -> list[dict[str, Any]]:
        """Rows for ``themes.csv``: lists joined with ``、`` (keywords) and `` | `` (quotes)."""
        return [
            {
                "theme_id": t.theme_id,
                "label": t.label,
                "size": t.size,
                "share": round(t.share, 6),
                "keywords": "、".join(t.keywords),
                "quotes": " | ".join(q.replace("\n", " ") for q in t.quotes),
            }
            for t in self.themes
        ]
