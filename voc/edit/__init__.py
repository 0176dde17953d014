"""Inspect and edit fitted themes and their sub-themes in a notebook; edits go to the taxonomy file.

:class:`ThemeEditor` (``voc.edit._editor``) edits themes; its :attr:`ThemeEditor.subthemes`
(:class:`SubthemeEditor`, ``voc.edit._subthemes``) finds, names, renames, merges, moves and promotes
sub-themes.
"""

from __future__ import annotations

from voc.edit._editor import ThemeCard, ThemeEditor, class_keywords, model_html, theme_table_html
from voc.edit._subthemes import SubthemeEditor

__all__ = ["ThemeEditor", "SubthemeEditor", "ThemeCard", "model_html", "theme_table_html", "class_keywords"]
