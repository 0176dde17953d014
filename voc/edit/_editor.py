"""Inspect and edit fitted themes in a notebook; edits are written to the taxonomy file.

:class:`ThemeEditor` wraps a fitted :class:`~voc.themes.ThemeModel` and its texts. It shows the
themes as a rich table (``_repr_html_``), a theme's keywords, quotes and the KWIC of its top terms
(:meth:`ThemeEditor.show`), and renames, merges, splits (re-fits one theme's documents into *n*
sub-themes) and seeds themes. Every edit goes into a :class:`~voc.taxonomy.Taxonomy`;
:meth:`ThemeEditor.save` writes it to the TOML file that batch runs (``voc report``) re-apply:
names are shown instead of automatic labels, ``merge_into`` folds a theme into another, and seed
words guide the next fit (a split writes each sub-theme's keywords as its seed words).

Theme ids are the model's theme ids; new sub-themes get ids above every id in use.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voc.errors import ConfigError, NotFittedError
from voc.themes import CSS as _CSS
from voc.themes import escape as _e
from voc.themes import model_html, theme_table_html

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from voc.taxonomy import Taxonomy
    from voc.themes import ThemeModel

__all__ = ["ThemeEditor", "ThemeCard", "model_html", "theme_table_html", "class_keywords"]

def class_keywords(tokens: Sequence[Sequence[str]], labels: Sequence[int], top_n: int = 10) -> dict[int, list[str]]:
    """c-TF-IDF keywords of each class, as BERTopic computes them (:func:`voc.themes.ctfidf` with
    ``reduce_frequent_words``).

    The weight of word *w* in class *c* is √(tf(w, c) / words in c) · log(1 + A / f(w)), where *A*
    is the mean number of words per class and *f(w)* the frequency of *w* in all classes. Labels
    below 0 are ignored. Returns ``{class: [word, …]}`` best first (ties by word), each part that
    mostly occurs in one compound replaced by it, as ``ThemeModel`` does (:func:`voc.label.prefer_compounds`).
    """
    from voc.label import prefer_compounds, theme_documents
    from voc.themes import ctfidf

    scores = ctfidf(tokens, labels, reduce_frequent_words=True)
    if not scores:
        return {}
    members = theme_documents(tokens, labels)
    out = {}
    for lab, score in scores.items():
        ranked = [w for w, _ in sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))[: top_n + 5]]
        out[lab] = prefer_compounds(ranked, members[lab])[:top_n]
    return out


class ThemeCard:
    """One theme at a glance: keywords, representative quotes, and the KWIC of its top terms."""

    def __init__(
        self, theme_id: int, name: str, size: int, keywords: list[str], quotes: list[str], kwic: dict[str, Any]
    ):
        self.theme_id, self.name, self.size = theme_id, name, size
        self.keywords, self.quotes, self.kwic = keywords, quotes, kwic

    def __repr__(self) -> str:
        lines = [f"テーマ {self.theme_id}: {self.name} ({self.size:,} 件)", "キーワード: " + "、".join(self.keywords)]
        lines += [f"  「{q}」" for q in self.quotes]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from voc.explore import style_kwic

        chips = "".join(f'<span class="voc-kw">{_e(k)}</span>' for k in self.keywords)
        quotes = "".join(f"<li>{_e(q)}</li>" for q in self.quotes)
        parts = [
            _CSS,
            f"<h4>テーマ {self.theme_id}: {_e(self.name)} <small>({self.size:,} 件)</small></h4>",
            f"<p>{chips}</p><p><b>代表的な発言</b></p><ul>{quotes}</ul>",
        ]
        for term, table in self.kwic.items():
            body = style_kwic(table).to_html() if len(table) else "<p>(該当なし)</p>"
            parts.append(f"<p><b>KWIC: {_e(term)}</b></p>{body}")
        return "".join(parts)


class ThemeEditor:
    """Inspect and edit the themes of a fitted :class:`~voc.themes.ThemeModel`.

    Parameters
    ----------
    model : fitted ThemeModel
    texts : the cleaned texts the model was fitted on (same order as ``model.labels_``)
    taxonomy : path of the taxonomy TOML file (created on :meth:`save` when missing) or a Taxonomy
    tokens, embeddings : tokens and embeddings of *texts*; by default the model's own
        (``tokens_``, ``embeddings_``), computed again only for other texts
    random_state : seed of the k-means that :meth:`split` runs
    history : path of the run history (``[history] path``) the next ``voc report`` matches against,
        or ``None``; when the file exists the editor gives the themes the ids that run would
        (:func:`voc.history.stable_theme_ids`: the last comparable run's, then the taxonomy's),
        so that a rename or merge names the theme the report shows. :meth:`from_config` sets it.
    text_columns : the analysed columns (``[input] text_columns``): which runs of the history are
        comparable; needed with *history*
    match_threshold : ``[history] match_threshold``
    unit : ``[units] unit`` (``"statement"`` or ``"row"``): the history's runs in that unit are the
        ones matched, as ``voc report`` matches them; ``None``: the latest run of any unit. For
        statements, fit the model on the voice units of :func:`voc.pipeline.report_units`.

    Without a history, the themes get the ids of the taxonomy entries they match by keywords (as a
    batch run without history does) and, when the taxonomy has none, the model's ids.

    Attributes
    ----------
    labels : ndarray of shape (n_texts,)
        Theme of each text after the edits made so far (``-1``: unassigned).
    keywords : dict[int, list[str]]
        Keywords of each theme (the model's; recomputed for merged and split themes).
    taxonomy : Taxonomy
    """

    def __init__(
        self,
        model: ThemeModel,
        texts: Sequence[str],
        *,
        taxonomy: str | Path | Taxonomy = "taxonomy.toml",
        tokens: Sequence[Sequence[str]] | None = None,
        embeddings: np.ndarray | None = None,
        random_state: int = 42,
        history: str | Path | None = None,
        text_columns: Sequence[str] | None = None,
        match_threshold: float = 0.5,
        unit: str | None = None,
    ) -> None:
        import numpy as np

        from voc.taxonomy import Taxonomy, load_taxonomy

        if not hasattr(model, "labels_"):
            raise NotFittedError("ThemeEditor needs a fitted ThemeModel: call fit() first")
        if len(texts) != len(model.labels_):
            raise ValueError(f"{len(texts)} texts for a model fitted on {len(model.labels_)}: pass the same texts")
        self.model = model
        self.texts = list(texts)
        self.taxonomy = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(taxonomy, missing_ok=True)
        self._tokens = list(tokens) if tokens is not None else None
        self._embeddings = embeddings
        if self.texts == getattr(model, "documents_", None):  # the texts it was fitted on: reuse its work
            self._tokens = self._tokens if self._tokens is not None else list(model.tokens_)
            self._embeddings = embeddings if embeddings is not None else model.embeddings_
        self.random_state = random_state
        self.history = Path(history) if history is not None else None
        self.text_columns = list(text_columns) if text_columns is not None else None
        self.match_threshold = match_threshold
        self.unit = unit
        self._next_id = 0  # the first id no theme, taxonomy entry or history run uses (after the match)
        self.labels = np.asarray(model.labels_, dtype=int).copy()
        self.keywords = {int(t): [w for w, _ in kw] for t, kw in model.keywords_.items()}
        # keywords of each theme's own documents before merges: what the next run recognises it by
        self._own_keywords = {t: list(kw) for t, kw in self.keywords.items()}
        if self.history is not None and self.text_columns is None:
            raise ConfigError("ThemeEditor(history=...) needs text_columns (the config's [input] text_columns): "
                              "use ThemeEditor.from_config(model, texts, config)")
        has_history = self.history is not None and self.history.exists()
        if has_history or any(e.keywords or e.seed_words for e in self.taxonomy.themes):
            self._apply_ids(has_history)

    @classmethod
    def from_config(
        cls, model: ThemeModel, texts: Sequence[str], config: Any, *, taxonomy: str | Path | Taxonomy | None = None,
        **kwargs: Any,
    ) -> ThemeEditor:
        """The editor of what ``voc report`` with *config* reports: its taxonomy (``[taxonomy] path``,
        or *taxonomy*), the ids its run history gives the themes (``[history]``), its seed. Other
        keyword arguments go to :class:`ThemeEditor`."""
        from voc.history import history_path

        if taxonomy is None:
            taxonomy = config.taxonomy.path or "taxonomy.toml"
        params: dict[str, Any] = {
            "taxonomy": taxonomy, "random_state": config.model.seed, "text_columns": config.input.text_columns,
            "match_threshold": config.history.match_threshold, "unit": config.units.unit,
            "history": history_path(config.history.path, config.output.dir) if config.history.enabled else None,
        }
        return cls(model, texts, **{**params, **kwargs})

    def _apply_ids(self, has_history: bool) -> None:
        """Give the fitted themes the ids the next batch run gives them (one code path:
        :func:`voc.history.stable_theme_ids`, the history read-only), then fold merged themes into
        their targets."""
        import numpy as np

        from voc.history import stable_theme_ids

        stable = stable_theme_ids(self.labels, self.tokens, self.model.keywords_, self.taxonomy,
                                  history=self.history if has_history else None, text_columns=self.text_columns or [],
                                  threshold=self.match_threshold, read_only=True, unit=self.unit)
        self._next_id = stable.next_id
        themes = stable.themes
        to_id = {int(c): int(t) for c, t in zip(themes["cluster"], themes["theme_id"], strict=True)}
        reported = {int(c): int(r) for c, r in zip(themes["cluster"], themes["reported_as"], strict=True)}
        self._own_keywords = {to_id[c]: self._own_keywords[c] for c in to_id}
        self.labels = np.asarray([reported.get(int(c), -1) if c >= 0 else -1 for c in self.labels], dtype=int)
        merged = {reported[c] for c in reported if reported[c] != to_id[c]}
        self.keywords = {reported[c]: self.keywords[c] for c in sorted(reported) if reported[c] == to_id[c]}
        for t in merged:
            self.keywords.setdefault(t, [])
        self._refresh_keywords(sorted(merged))

    # -- lazily computed inputs -------------------------------------------------------------------
    @property
    def tokens(self) -> list[list[str]]:
        if self._tokens is None:
            self._tokens = self.model.tokenize(self.texts)
        return self._tokens

    @property
    def embeddings(self) -> np.ndarray:
        if self._embeddings is None:
            self._embeddings = self.model.embed(self.texts, self.tokens)
        return self._embeddings

    # -- looking ----------------------------------------------------------------------------------
    def _check(self, theme_id: int) -> int:
        theme_id = int(theme_id)
        if theme_id not in self.keywords:
            raise ConfigError(f"no theme {theme_id}; themes are {sorted(self.keywords)}")
        return theme_id

    def _written(self) -> dict[str, str]:
        """Every current keyword as the texts spell it, computed once per set of keywords (as
        :func:`voc.label.theme_table` does, so that the editor, the model and the report agree)."""
        from voc.label import written_keywords

        key = tuple(sorted({w for words in self.keywords.values() for w in words}))
        cached = self.__dict__.get("_written_cache")
        if cached is None or cached[0] != key:
            cached = (key, written_keywords(dict(self.keywords), self.texts, self.tokens, self.model.tokenizer_))
            self.__dict__["_written_cache"] = cached
        return cached[1]

    def _written_words(self, words: Sequence[str]) -> list[str]:
        """Any keyword tokens as the texts spell them."""
        from voc.label import written_keywords

        spell = self._written()
        missing = [w for w in words if w not in spell]
        if missing:
            spell = {**spell, **written_keywords({0: missing}, self.texts, self.tokens, self.model.tokenizer_)}
        return [spell.get(w, w) for w in words]

    @property
    def subthemes(self) -> Any:
        """The sub-themes of the current themes: :class:`voc.edit.SubthemeEditor` (table, rename,
        merge, move, promote)."""
        from voc.edit._subthemes import SubthemeEditor

        if "_subthemes" not in self.__dict__:
            self.__dict__["_subthemes"] = SubthemeEditor(self)
        return self.__dict__["_subthemes"]

    def written(self, theme_id: int) -> list[str]:
        """The theme's keywords as its texts spell them (タダ for the token 只; shown everywhere the
        editor shows keywords, :func:`voc.label.written_keywords`)."""
        spell = self._written()
        return [spell.get(w, w) for w in self.keywords.get(int(theme_id), [])]

    def label(self, theme_id: int) -> str:
        """Display name: the taxonomy's name, else a label from the keywords of the theme's own
        texts: a theme other themes were merged into keeps its label (its keywords, recomputed over
        every text it now holds, may be led by the merged ones)."""
        from voc.label import label_from_keywords

        theme_id = int(theme_id)
        own = self._own_keywords.get(theme_id) or self.keywords.get(theme_id, [])
        return self.taxonomy.name_of(theme_id, label_from_keywords(self._written_words(own)))

    def table(self, *, n_quotes: int = 3) -> pd.DataFrame:
        """Current themes, largest first: ``theme_id``, ``label``, ``size``, ``share``, ``keywords``
        (list), ``quotes`` (list) as :func:`voc.label.theme_table` builds them for the report, and
        ``note`` (the taxonomy's seed words)."""
        from voc.label import theme_table

        names = {t: self.label(t) for t in self.keywords}
        table = theme_table(self.texts, self.tokens, self.embeddings, self.labels, self.keywords,
                            self.model.tokenizer_, names=names, written=self._written(), n_quotes=n_quotes)
        notes = []
        for t in table["theme_id"]:
            entry = self.taxonomy.get(int(t))
            notes.append(f"シード語: {'、'.join(entry.seed_words)}" if entry is not None and entry.seed_words else "")
        return table.assign(note=notes)

    def _repr_html_(self) -> str:
        n_un = int((self.labels < 0).sum())
        where = self.taxonomy.path or "(not saved)"
        return theme_table_html(
            self.table(n_quotes=0), caption=f"{len(self.keywords)} テーマ・未分類 {n_un:,} 件・タクソノミー: {where}"
        )

    def assignments(self, rows: Sequence[int] | None = None) -> pd.DataFrame:
        """``theme_id`` and ``theme_label`` of every text after the edits (``未分類`` for -1), as in
        ``assignments.csv``; with *rows* (the texts' ``row`` numbers in the export, e.g.
        ``kept["row"]`` from :func:`voc.clean.clean`) also ``row``, ready for :func:`voc.join_themes`."""
        import pandas as pd

        names = {t: self.label(t) for t in self.keywords}
        out = pd.DataFrame({"theme_id": self.labels, "theme_label": [names.get(int(t), "未分類") for t in self.labels]})
        if rows is not None:
            out.insert(0, "row", list(rows))
        return out

    def members(self, theme_id: int) -> list[int]:
        """Indices of the texts in *theme_id*."""
        import numpy as np

        return np.flatnonzero(self.labels == self._check(theme_id)).tolist()

    def find(self, word: str) -> list[int]:
        """Themes whose keywords contain *word* (as a keyword or inside one, as a token or as the
        texts spell it: タダ finds the token 只), best-ranked use first."""
        hits = []
        for t, kws in self.keywords.items():
            ranks = [i for i, (k, w) in enumerate(zip(kws, self.written(t), strict=True)) if word in k or word in w]
            if ranks:
                hits.append((ranks[0], -int((self.labels == t).sum()), t))
        return [t for _, _, t in sorted(hits)]

    def similar_pairs(self, top: int = 10) -> pd.DataFrame:
        """The most similar pairs of themes (cosine of their mean embeddings): merge candidates.

        Returns ``theme_a, name_a, theme_b, name_b, similarity`` (``theme_a`` the larger), most similar first.
        """
        import numpy as np
        import pandas as pd

        ids = sorted(self.keywords, key=lambda t: (-int((self.labels == t).sum()), t))
        ids = [t for t in ids if (self.labels == t).any()]
        cent = np.vstack([self.embeddings[self.labels == t].mean(axis=0) for t in ids]) if ids else np.zeros((0, 1))
        norm = np.linalg.norm(cent, axis=1, keepdims=True)
        cent = np.divide(cent, norm, out=np.zeros_like(cent), where=norm > 0)
        sim = cent @ cent.T
        rows = [
            (ids[i], self.label(ids[i]), ids[j], self.label(ids[j]), float(sim[i, j]))
            for i in range(len(ids))
            for j in range(i + 1, len(ids))
        ]
        out = pd.DataFrame(rows, columns=["theme_a", "name_a", "theme_b", "name_b", "similarity"])
        return out.sort_values("similarity", ascending=False, kind="stable").head(top).reset_index(drop=True)

    def show(
        self, theme_id: int, *, n_quotes: int = 5, n_terms: int = 3, width: int = 20, kwic_rows: int = 5
    ) -> ThemeCard:
        """A :class:`ThemeCard`: keywords, *n_quotes* representative quotes, and the KWIC (up to
        *kwic_rows* lines, within the theme's texts) of its *n_terms* top keywords."""
        import numpy as np

        from voc.explore import kwic
        from voc.label import distinct_keywords, representative_quotes

        idx = self.members(theme_id)
        member_texts = [self.texts[i] for i in idx]
        picks = (
            representative_quotes(member_texts, self.embeddings[np.asarray(idx, dtype=int)], n=n_quotes) if idx else []
        )
        tables = {}
        for term in distinct_keywords(self.written(theme_id), n_terms):
            table = kwic(member_texts, term, width=width, max_rows=kwic_rows)
            if not len(table) and len(term) >= 2 and term[-1] in "いうくぐすつぬぶむる":
                term = term[:-1]  # a dictionary form (高い, 見送る) appears inflected (高く, 見送っ)
                table = kwic(member_texts, term, width=width, max_rows=kwic_rows)
            tables[term] = table
        kws = distinct_keywords(self.written(theme_id), 10)
        return ThemeCard(theme_id, self.label(theme_id), len(idx), kws, [member_texts[i] for i in picks], tables)

    # -- editing ----------------------------------------------------------------------------------
    def rename(self, theme_id: int, name: str) -> ThemeEditor:
        """Show *theme_id* as *name* (in this editor, reports and later runs)."""
        self.taxonomy.rename(self._check(theme_id), name)
        return self

    def rename_found(self, word: str, name: str, *, seed_words: Sequence[str] | None = None) -> ThemeCard | None:
        """Rename (and seed, with *seed_words*) the theme :meth:`find` ranks first for *word*.

        Returns its :class:`ThemeCard`; when no theme's keywords hold *word*, changes nothing,
        warns (``UserWarning``, shown in a notebook) and returns ``None``.
        """
        import warnings

        found = self.find(word)
        if not found:
            warnings.warn(f"no theme has 「{word}」 among its keywords: nothing was renamed or seeded; "
                          "pick another word (editor.table() lists the keywords) or rename by id with "
                          "editor.rename(theme_id, name)", UserWarning, stacklevel=2)
            return None
        self.rename(found[0], name)
        if seed_words is not None:
            self.seed(found[0], seed_words)
        return self.show(found[0], n_quotes=3, n_terms=2)

    def seed(self, theme_id: int, words: Sequence[str]) -> ThemeEditor:
        """Seed words that guide the next fit toward *theme_id* (BERTopic guided topics)."""
        self.taxonomy.set_seed_words(self._check(theme_id), list(words))
        return self

    def merge(self, source_id: int, into: int) -> ThemeEditor:
        """Fold theme *source_id* into *into*: its texts move, keywords are recomputed, *into*
        keeps its label (:meth:`label`), and the taxonomy records ``merge_into`` so later runs
        report it as part of *into*."""
        source_id, into = self._check(source_id), self._check(into)
        self.taxonomy.merge(source_id, into)
        # keep the folded theme's keywords in its entry: the next run recognises it by them
        self.taxonomy.ensure(source_id, keywords=self._own_keywords.get(source_id, self.keywords[source_id])[:10])
        self.labels[self.labels == source_id] = into
        del self.keywords[source_id]
        self._refresh_keywords([into])
        return self

    def split(self, theme_id: int, n: int = 2, *, n_seed_words: int = 5) -> list[int]:
        """Re-fit the texts of *theme_id* into *n* sub-themes (seeded k-means on their embeddings).

        The largest sub-theme keeps *theme_id*; the others get new ids above every id in use. Each
        sub-theme's top *n_seed_words* keywords become its seed words in the taxonomy, so that the
        next batch run finds the split again. Returns the ids, largest sub-theme first.
        """
        import numpy as np
        from sklearn.cluster import KMeans

        idx = np.asarray(self.members(theme_id), dtype=int)
        if n < 2 or n > len(idx):
            raise ValueError(f"split needs 2 ≤ n ≤ {len(idx)} (the theme's size), got {n}")
        sub = KMeans(n_clusters=n, n_init=10, random_state=self.random_state).fit_predict(self.embeddings[idx])
        order = sorted(range(n), key=lambda k: (-(sub == k).sum(), k))
        next_id = max([*self.keywords, *self.taxonomy.ids(), int(self.labels.max()), self._next_id - 1]) + 1
        ids = [int(theme_id)] + list(range(next_id, next_id + n - 1))
        for new_id, k in zip(ids, order, strict=True):
            self.labels[idx[sub == k]] = new_id
        self._refresh_keywords(ids)
        self._own_keywords.update({t: list(self.keywords[t]) for t in ids})
        for new_id in ids:
            self.taxonomy.ensure(new_id, status="新規" if new_id != theme_id else "")
            self.taxonomy.set_seed_words(new_id, self.keywords[new_id][:n_seed_words])
        return ids

    def _refresh_keywords(self, ids: Sequence[int]) -> None:
        fresh = class_keywords(self.tokens, self.labels, top_n=self.model.top_n_words)
        for t in ids:
            self.keywords[int(t)] = fresh.get(int(t), [])

    def save(self, path: str | Path | None = None) -> Path:
        """Write the taxonomy: names, merges, seeds, and the keywords of each theme's own documents
        (before merges), by which the next run recognises it."""
        from voc.taxonomy import save_taxonomy

        for t, words in self.keywords.items():
            self.taxonomy.ensure(t, keywords=self._own_keywords.get(t, words)[:10])
        target = path if path is not None else self.taxonomy.path
        if target is None:
            raise ConfigError("no taxonomy path: pass save(path=...) or ThemeEditor(taxonomy='taxonomy.toml')")
        return save_taxonomy(self.taxonomy, target)

    def __repr__(self) -> str:
        n_un = int((self.labels < 0).sum())
        lines = [f"ThemeEditor: {len(self.keywords)} themes, {n_un:,} unassigned, taxonomy {self.taxonomy.path}"]
        for r in self.table(n_quotes=0).itertuples(index=False):
            lines.append(f"  {r.theme_id:>4}  {r.size:>6,}  {r.label}")
        return "\n".join(lines)
