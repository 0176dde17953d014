"""The units stage: what gets a theme.

Between ``clean`` and ``embed``, :func:`make_units` turns the kept rows into the table of units
(``unit``, ``row``, ``column``, ``start``, ``end``, ``text``, ``tokens``); every later stage embeds,
clusters, names and quotes units. After the analysis, :func:`unit_themes` is the one long table
(``unit``, ``row``, ``theme_id``, ``subtheme_id``) that the history, the insights and the report
read; whatever counts deals counts distinct rows of it (:func:`deal_themes`).

Today a unit is a whole row (the identity): one unit per kept row, its text the row's text columns
joined as :func:`voc.clean.clean` joins them. The statements issue splits rows into several units.
"""

from __future__ import annotations

from voc.units._rows import co_themes, log_rows, main_themes, mention_table, quote_context, theme_counts
from voc.units._statements import clean_statements, kind_rules, statement_frame
from voc.units._table import UNIT_COLUMNS, deal_themes, make_units, statement_units, unit_records, unit_themes

__all__ = [
    "UNIT_COLUMNS", "make_units", "statement_units", "unit_records", "unit_themes", "deal_themes",
    "clean_statements", "kind_rules", "statement_frame",
    "main_themes", "mention_table", "theme_counts", "co_themes", "log_rows", "quote_context",
]
