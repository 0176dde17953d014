"""Reports: one table model (:mod:`voc.report.model`) rendered to CSV, Markdown and HTML."""

from __future__ import annotations

from voc.report._csv import csv_bytes, csv_text
from voc.report._html_theme import MAX_SUBTHEME_QUOTES
from voc.report.model import ReportModel, SubthemeRow, ThemeRow, join_themes
from voc.report.record import RunRecord
from voc.report.writer import write_report

__all__ = ["ReportModel", "ThemeRow", "SubthemeRow", "RunRecord", "join_themes", "write_report", "csv_text", "csv_bytes",
           "MAX_SUBTHEME_QUOTES"]
