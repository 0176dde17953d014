"""Sub-themes in the notebook editor: ``editor.subthemes``.

The sub-themes of the editor's themes are found as ``voc report`` finds them (the sub-theme step of
:class:`voc.analysis.ThemeAnalysis`, :func:`voc.subthemes.split_subthemes`), get ids from the
taxonomy's ``[[subtheme]]`` entries where they match them (:func:`voc.history.stable_subtheme_ids`)
and new ids above every id in use otherwise, and are written to the taxonomy as entries with their
keywords, so that the next batch run recognises them. Renames, merges, moves and promotions are
taxonomy edits: :meth:`SubthemeEditor.table` shows them at once, ``voc report`` applies them from
the next run (``ThemeEditor.save`` writes the file).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from voc.edit._editor import ThemeEditor

__all__ = ["SubthemeEditor"]


class SubthemeEditor:
    """The sub-themes of a :class:`~voc.edit.ThemeEditor`'s themes (``editor.subthemes``)."""

    def __init__(self, editor: ThemeEditor) -> None:
        self._editor = editor
        self._found: Any = None
        self._key: bytes | None = None
        self._keywords: dict[tuple[int, int], list[str]] = {}

    # -- finding ----------------------------------------------------------------------------------
    def _split(self) -> None:
        """Find the sub-themes of the editor's current themes (again only when the themes changed)."""
        from voc.subthemes import SubthemeResult, split_subthemes

        ed = self._editor
        key = ed.labels.tobytes()
        if self._key == key:
            return
        # the analysis's sub-theme step (voc.analysis.ThemeAnalysis), on the edited themes
        found, self._keywords = split_subthemes(ed.texts, ed.tokens, ed.embeddings, ed.labels,
                                                random_state=ed.random_state)
        self._found = SubthemeResult(found=found, ids=None, keywords=self._keywords)
        self._key = key
        ids = self._ids()
        tax = ed.taxonomy
        for r in ids.table.itertuples(index=False):  # record them, so that edits and later runs find them
            new = tax.subtheme(int(r.subtheme_id)) is None
            entry = tax.ensure_subtheme(int(r.subtheme_id), int(r.theme_id),
                                        keywords=self._keywords[(int(r.theme_id), int(r.local))])
            if new:
                entry.name = self._found.found_label(int(r.theme_id), int(r.local))

    def _ids(self) -> Any:
        from voc.history import stable_subtheme_ids

        ed = self._editor
        next_id = max([0, *ed.taxonomy.ids(), *(int(t) for t in ed.keywords), ed._next_id - 1]) + 1
        return stable_subtheme_ids(ed.labels, self._found.found.assignments, ed.tokens, self._keywords, ed.taxonomy,
                                   previous=None, next_id=next_id)

    # -- looking ----------------------------------------------------------------------------------
    def table(self, theme_id: int | None = None) -> pd.DataFrame:
        """Sub-themes after the edits so far: ``theme_id`` (the theme they are reported under),
        ``subtheme_id``, ``label``, ``size``, ``share`` (of the theme), ``keywords`` (list),
        ``promoted`` (reported as a theme of its own); largest first within each theme."""
        import numpy as np
        import pandas as pd

        self._split()
        ed = self._editor
        ids = self._ids()
        rows = []
        for r in ids.table.drop_duplicates("reported_as").itertuples(index=False):
            rid = int(r.reported_as)
            entry = ed.taxonomy.subtheme(rid)
            promoted = bool(entry is not None and entry.promote)
            theme = int(r.reported_theme)
            members = (ids.themes == theme) & ((ids.subthemes == rid) | promoted)
            in_theme = ids.themes == theme
            rows.append({
                "theme_id": theme, "subtheme_id": rid,
                "label": (entry.name if entry is not None and entry.name else self._found.found_label(int(r.theme_id), int(r.local))),
                "size": int(members.sum()), "share": float(members.sum() / max(1, int(in_theme.sum()))),
                "keywords": ed._written_words(self._keywords[(int(r.theme_id), int(r.local))]), "promoted": promoted,
            })
        out = pd.DataFrame(rows, columns=["theme_id", "subtheme_id", "label", "size", "share", "keywords", "promoted"])
        if theme_id is not None:
            out = out[out["theme_id"] == int(theme_id)]
        out = out.sort_values(["theme_id", "size", "subtheme_id"], ascending=[True, False, True], kind="stable")
        return out.reset_index(drop=True).astype({"size": np.int64})

    def assignments(self) -> np.ndarray:
        """Each text's reported sub-theme (``-1``: its theme is not split, or the sub-theme was promoted)."""
        self._split()
        return self._ids().subthemes

    # -- editing (taxonomy entries; ThemeEditor.save writes them) --------------------------------
    def rename(self, subtheme_id: int, name: str) -> SubthemeEditor:
        self._split()
        self._editor.taxonomy.rename_subtheme(subtheme_id, name)
        return self

    def merge(self, source_id: int, into: int) -> SubthemeEditor:
        """Report sub-theme *source_id* as part of *into* (both in the same theme)."""
        self._split()
        self._editor.taxonomy.merge_subtheme(source_id, into)
        return self

    def move(self, subtheme_id: int, theme_id: int) -> SubthemeEditor:
        """Report sub-theme *subtheme_id* and its texts under theme *theme_id*."""
        self._split()
        if int(theme_id) not in self._editor.keywords:
            from voc.errors import ConfigError

            raise ConfigError(f"no theme {theme_id}; themes are {sorted(self._editor.keywords)}")
        self._editor.taxonomy.move_subtheme(subtheme_id, theme_id)
        return self

    def promote(self, subtheme_id: int) -> SubthemeEditor:
        """Report sub-theme *subtheme_id* as a theme of its own (with the same id)."""
        self._split()
        self._editor.taxonomy.promote_subtheme(subtheme_id)
        entry = self._editor.taxonomy.get(int(subtheme_id))
        sub = self._editor.taxonomy.subtheme(int(subtheme_id))
        if entry is not None and sub is not None and not entry.name:
            entry.name = sub.name
        return self

    def __repr__(self) -> str:
        t = self.table()
        lines = [f"{len(t)} sub-themes in {t['theme_id'].nunique()} themes"]
        lines += [f"  {r.theme_id:>4} / {r.subtheme_id:<5} {r.size:>6,}  {r.label}" for r in t.itertuples(index=False)]
        return "\n".join(lines)
