""":class:`ThemeAnalysis`: the one sequence themes → stable ids → names → sub-themes → sub-theme ids."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.base import BaseEstimator, clone

from voc.errors import NotFittedError

if TYPE_CHECKING:
    import pandas as pd

    from voc.analysis._nodes import ThemeNode
    from voc.history import PreviousRun
    from voc.taxonomy import Taxonomy

__all__ = ["ThemeAnalysis"]

log = logging.getLogger(__name__)

#: A sub-theme keeps its id at a closer match than a theme: sub-themes of one theme share their
#: parent's words (at the themes' 0.5 a kept id named other deals, J = 0.23; at 0.6, once names and
#: addresses were masked more fully, J = 0.23 again; at 0.65 each kept id names ≥ 25% the same deals:
#: tests/test_history_cli.py::test_subthemes_keep_their_ids_across_runs).
SUBTHEME_MATCH_MARGIN = 0.15


class ThemeAnalysis(BaseEstimator):
    """Fit themes, give them stable ids, name them, split them into sub-themes and give those ids.

    Parameters
    ----------
    themes : voc.themes.ThemeModel, optional
        The unfitted theme model (its parameters); cloned by :meth:`fit`. Default ``ThemeModel()``.
    naming : {"phrases", "keywords"}
        Name themes by phrases their texts hold (:class:`voc.naming.PhraseNamer`) or by keywords.
    subthemes : bool
        Split each theme where its texts hold stable groups (:func:`voc.subthemes.find_subthemes`).
    match : bool
        Give stable ids (:func:`voc.history.stable_theme_ids` against *previous* and *taxonomy*);
        ``False`` keeps the fitted theme numbers and gives sub-themes no ids (``voc evaluate``).
    taxonomy : voc.taxonomy.Taxonomy, optional
        Names, merges and sub-theme edits; an empty one by default.
    previous : voc.history.PreviousRun, optional
        The previous comparable run (:func:`voc.history.load_previous`), plain data.
    match_threshold : float
        Similarity a theme needs to keep its id (sub-themes: this + SUBTHEME_MATCH_MARGIN).
    namer : voc.naming.Namer, optional
        Default ``PhraseNamer(random_state=random_state, n_jobs=n_jobs)``. A given namer is used as
        is (it memoizes its parses: ``voc evaluate`` shares one between fits).
    describe : bool
        Compute the nodes, their names and written keywords at the end of :meth:`fit`.
    random_state : int
    n_jobs : int or None
        Processes and threads of the names and the sub-theme splits (the results do not depend on it).

    Attributes
    ----------
    model_ : the fitted ThemeModel
    stable_ : voc.history.StableIds or None (``match=False``)
    namer_ : the namer
    phrases_ : dict[int, voc.naming.ThemeName]
        Phrase names of the themes (empty with ``naming="keywords"``).
    subthemes_ : voc.subthemes.SubthemeResult or None
    labels_ : ndarray of shape (n_units,)
        Reported theme of each unit (after the taxonomy's merges, moves and promotions; ``-1``: none).
    subtheme_labels_ : ndarray of shape (n_units,)
        Reported sub-theme of each unit (``-1``: none).
    keywords_ : dict[int, list[str]]
        Keyword tokens of each reported theme, best first.
    names_ : dict[int, str]
        Each reported theme's name before the keyword fallback (taxonomy, else phrases, else "").
    written_ : dict[str, str]
        Keyword token → its spelling in the texts (every theme's and sub-theme's keywords).
    nodes_ : list[ThemeNode]
        Themes and sub-themes (``describe=True``).
    timings_ : dict[str, float]
        Seconds of ``themes``, ``match``, ``label`` and ``subthemes``.
    """

    def __init__(
        self, themes: Any = None, *, naming: str = "phrases", subthemes: bool = True, match: bool = True,
        taxonomy: Taxonomy | None = None, previous: PreviousRun | None = None, match_threshold: float = 0.5,
        namer: Any = None, describe: bool = True, random_state: int = 42, n_jobs: int | None = -1,
    ) -> None:
        self.themes = themes
        self.naming = naming
        self.subthemes = subthemes
        self.match = match
        self.taxonomy = taxonomy
        self.previous = previous
        self.match_threshold = match_threshold
        self.namer = namer
        self.describe = describe
        self.random_state = random_state
        self.n_jobs = n_jobs

    def fit(
        self, texts: Sequence[str], y: Any = None, *, tokens: Sequence[Sequence[str]] | None = None,
        embeddings: np.ndarray | None = None, embedder: Any = None, executor: Any = None, progress: bool = False,
    ) -> ThemeAnalysis:
        """Run the analysis on the units' *texts* (their *tokens*, *embeddings* when computed);
        *embedder*, *executor* and *progress* as :meth:`voc.themes.ThemeModel.fit`."""
        from voc.naming import PhraseNamer
        from voc.taxonomy import Taxonomy
        from voc.themes import ThemeModel

        self.timings_: dict[str, float] = {}
        log.info("stage themes …")
        t0 = time.perf_counter()
        self.model_ = clone(self.themes) if self.themes is not None else ThemeModel(random_state=self.random_state)
        self.model_.fit(texts, tokens=tokens, embeddings=embeddings, embedder=embedder, executor=executor,
                        progress=progress)
        model = self.model_
        texts, tokens, embeddings = model.documents_, model.tokens_, model.embeddings_
        t0 = self._lap("themes", t0, "match")
        self.taxonomy_ = self.taxonomy if self.taxonomy is not None else Taxonomy()
        self.stable_ = None
        if self.match:
            from voc.history import stable_theme_ids

            self.stable_ = stable_theme_ids(model.labels_, tokens, model.keywords_, self.taxonomy_,
                                            previous=self.previous, threshold=self.match_threshold)
            labels = self.stable_.reported  # stable ids, after taxonomy merges
        else:
            labels = np.asarray(model.labels_, dtype=int)
        t0 = self._lap("match", t0, "label")
        self.namer_ = self.namer if self.namer is not None else PhraseNamer(random_state=self.random_state,
                                                                            n_jobs=self.n_jobs)
        self.phrases_ = self.namer_.name(texts, labels) if self.naming == "phrases" else {}
        t0 = self._lap("label", t0, "subthemes" if self.subthemes else None)
        self.subthemes_ = None
        subs = np.full(len(labels), -1, dtype=int)
        if self.subthemes:
            labels, subs = self._split(texts, tokens, embeddings, labels)
            t0 = self._lap("subthemes", t0)
        if self.describe:
            log.info("stage label …")
        self.labels_, self.subtheme_labels_ = labels, subs
        self._theme_keywords()
        if self.describe:
            self._describe(texts, tokens)
            self._lap("label", t0)
        return self

    def _lap(self, name: str, t0: float, following: str | None = None) -> float:
        """Add the seconds since *t0* to stage *name*; log that it is done and that *following* starts."""
        now = time.perf_counter()
        self.timings_[name] = self.timings_.get(name, 0.0) + now - t0
        log.info("stage %s done in %.1fs", name, now - t0)
        if following:
            log.info("stage %s …", following)
        return now

    def _split(self, texts: list[str], tokens: Sequence[Sequence[str]], embeddings: np.ndarray,
               labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The sub-theme step: split, keywords and (with *match*) stable ids and the taxonomy's edits."""
        from voc.subthemes import SubthemeResult, split_subthemes

        found, keywords = split_subthemes(texts, tokens, embeddings, labels,
                                          theme_names={t: n.phrases for t, n in self.phrases_.items()},
                                          namer=self.namer_, random_state=self.random_state, n_jobs=self.n_jobs)
        ids = None
        if self.stable_ is not None:
            from voc.history import stable_subtheme_ids

            previous = self.previous.subthemes if self.previous is not None else None
            ids = stable_subtheme_ids(labels, found.assignments, tokens, keywords, self.taxonomy_, previous=previous,
                                      next_id=self.stable_.next_id,
                                      threshold=min(1.0, self.match_threshold + SUBTHEME_MATCH_MARGIN))
        self.subthemes_ = SubthemeResult(found=found, ids=ids, keywords=keywords, naming=self.naming)
        if ids is None:
            return labels, found.assignments
        # the taxonomy may move a sub-theme to another theme, or promote it
        return ids.themes, ids.subthemes

    def _theme_keywords(self) -> None:
        """``keywords_`` and ``names_`` of the reported themes (a promoted sub-theme's are its own)."""
        stable, subs = self.stable_, self.subthemes_
        if stable is None:
            self.keywords_ = {int(t): [w for w, _ in kw] for t, kw in self.model_.keywords_.items()}
            self.names_ = {t: self.phrases_[t].label if t in self.phrases_ else "" for t in self.keywords_}
            return
        self.keywords_ = dict(stable.keywords)
        if subs is not None:
            self.keywords_.update(subs.promoted_keywords())
        self.names_ = {t: stable.label(t, self.phrases_[t].label if t in self.phrases_ else "") for t in self.keywords_}
        if subs is not None:
            self.names_.update({t: stable.label(t, name) for t, name in subs.promoted_names().items()})

    def _describe(self, texts: list[str], tokens: Sequence[Sequence[str]]) -> None:
        """``written_`` and ``nodes_``: names and keywords as the report shows them."""
        from voc.analysis._nodes import ThemeNode
        from voc.label import distinct_keywords, label_from_keywords, written_keywords

        stable, subs = self.stable_, self.subthemes_
        # keywords as the notes spell them (タダ, not UniDic's 只): the reported themes' and, for the
        # history, those of each fitted theme before taxonomy merges, and the sub-themes'
        lists = [*self.keywords_.values(), *(stable.themes["keywords"] if stable is not None else []),
                 *(subs.keywords.values() if subs is not None else [])]
        self.written_ = written_keywords(dict(enumerate(lists)), texts, tokens, self.model_.tokenizer_)
        labels = self.labels_
        n = max(1, len(labels))
        nodes: list[ThemeNode] = []
        ids, counts = np.unique(labels[labels >= 0], return_counts=True)
        for t, size in zip(ids.tolist(), counts.tolist(), strict=True):
            words = [self.written_.get(w, w) for w in self.keywords_.get(t, [])]
            status = stable.status.get(t, subs.status_of(t) if subs is not None and subs.ids is not None else "") \
                if stable is not None else ""
            nodes.append(ThemeNode(int(t), None, 0, self.names_.get(t) or label_from_keywords(words),
                                   distinct_keywords(words, 8), int(size), size / n, status))
        if subs is not None and subs.ids is not None:
            for theme_id, entries in subs.describe(self.written_, self.taxonomy_).items():
                nodes += [ThemeNode(e["subtheme_id"], theme_id, 1, e["label"], e["keywords"], e["size"], e["share"],
                                    e["status"]) for e in entries]
        self.nodes_ = nodes

    # -- what the analysis says -----------------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "labels_"):
            raise NotFittedError("this ThemeAnalysis is not fitted yet: call fit() first")

    def theme_info(self, level: int | None = None) -> pd.DataFrame:
        """Themes and sub-themes, named as the report names them (:func:`voc.analysis.node_table`:
        ``theme_id``, ``parent_id``, ``level`` (0 theme, 1 sub-theme), ``label``, ``size``,
        ``share``, ``keywords``, ``status``); only *level*'s when given."""
        from voc.analysis._nodes import node_table

        self._check_fitted()
        if not hasattr(self, "nodes_"):
            raise NotFittedError("fitted with describe=False: no nodes")
        return node_table(self.nodes_, level)

    def document_info(self) -> pd.DataFrame:
        """Per unit: ``text``, ``theme_id``, ``subtheme_id`` (``-1``: none), ``label`` (its
        theme's, empty for -1)."""
        import pandas as pd

        self._check_fitted()
        names = {n.id: n.label for n in getattr(self, "nodes_", []) if n.level == 0}
        return pd.DataFrame({
            "text": list(self.model_.documents_), "theme_id": self.labels_.astype(int),
            "subtheme_id": self.subtheme_labels_.astype(int), "label": [names.get(int(t), "") for t in self.labels_],
        })

    def predict(self, texts: Sequence[str], *, tokens: Sequence[Sequence[str]] | None = None,
                embeddings: np.ndarray | None = None) -> np.ndarray:
        """Reported theme id of each new text (``-1``: nothing to embed), after the stable ids and
        the taxonomy's merges (sub-themes of new texts are not predicted)."""
        self._check_fitted()
        fitted = self.model_.predict(texts, tokens=tokens, embeddings=embeddings)
        if self.stable_ is None:
            return fitted
        by_cluster = dict(zip(self.stable_.themes["cluster"], self.stable_.themes["reported_as"], strict=True))
        return np.asarray([by_cluster.get(int(c), -1) if c >= 0 else -1 for c in fitted], dtype=int)
