"""Statements: the unit that gets a theme (issue #27).

``split_statements(text)`` cuts a raw note into statements with offsets into the text as the export
holds it; ``statement_kind(text)`` says whether a statement is the customer's voice or the rep's log,
and which cue decided it. Both are plain functions of one text; see docs/statements.md.
"""

from __future__ import annotations

from voc.statements._kind import DEFAULT_CUES, Cue, Kind, KindRules, StatementKind, statement_kind
from voc.statements._split import Statement, split_statements

__all__ = [
    "Statement",
    "split_statements",
    "Cue",
    "Kind",
    "KindRules",
    "StatementKind",
    "DEFAULT_CUES",
    "statement_kind",
]
