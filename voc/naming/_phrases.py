"""Name groups of texts by phrases their writers used (食べ放題, 量を少なめに, 初期費用が高い).

Candidates are word-bounded spans found by MeCab (:mod:`voc.naming._spans`). Each is scored for a
group by how many of the group's texts contain it (coverage, the relevance of Mei, Shen & Zhai,
KDD 2007, "Automatic labeling of multinomial topic models", reduced to the texts themselves),
minus how often the most similar other group uses it (their discriminative term, against the
nearest competitor instead of the mean), times a small bonus for phrases that say more than one
word (初期費用が高い over 費用). A second phrase is added when it covers many texts the first one
misses.
"""

from __future__ import annotations

import logging
import math
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from voc.naming._base import SEPARATOR, Namer, ThemeName
from voc.naming._spans import PARSE_FEATURES, candidates

__all__ = ["PhraseNamer", "WHOLE_SHARE", "sample_members"]

log = logging.getLogger(__name__)

#: A phrase is a fragment of longer words in a group when fewer than this share of the group's
#: texts that contain it have it as a whole word (:func:`voc.evaluate.metrics.fragment_rate`): 禍 in
#: コロナ禍 or 放題 in 食べ放題 (almost) never stand alone; アレルギー does in 3 of 10 texts of a
#: theme about allergies, the others having 卵アレルギー, 小麦アレルギー …
WHOLE_SHARE = 0.2
#: Texts of each other group a phrase's use there is counted on (of the group's sample).
RIVAL_SAMPLE = 250
#: Candidates per group scored exactly (the most frequent ones).
_POOL = 80
_BATCH = 256
#: Texts to parse from which the parse goes to worker processes (``n_jobs``), and per chunk.
_PARALLEL_MIN = 4000
_CHUNK = 1000

_WORKER_TAGGER: Any = None


def _parse_chunk(job: tuple[list[str], int]) -> list[dict[str, str]]:
    """Candidate phrases (with their keys) of each text of a chunk, in a worker process."""
    global _WORKER_TAGGER
    texts, max_chars = job
    if _WORKER_TAGGER is None:
        from voc._tagger import FastTagger

        _WORKER_TAGGER = FastTagger(features=PARSE_FEATURES, joined=True)
    return [candidates(t, r, max_chars) for t, r in zip(texts, _WORKER_TAGGER.records_many(texts), strict=True)]


def sample_members(indices: np.ndarray, n: int, seed: int, group: int) -> np.ndarray:
    """The (sorted) members of *group* a namer reads: all of *indices* when there are at most *n*
    (or *n* is 0), else *n* of them drawn with ``default_rng([seed, group])``. The draw depends on
    the group's own members only, so a caller can read the same sample (:mod:`voc.subthemes`
    names a theme's sub-themes on the texts its name was chosen from, already parsed)."""
    indices = np.asarray(indices)
    if not n or len(indices) <= n:
        return indices
    rng = np.random.default_rng([int(seed), int(group)])
    return np.sort(rng.choice(indices, size=int(n), replace=False))


class PhraseNamer(Namer):
    """Names from phrases customers wrote.

    Parameters
    ----------
    max_chars : int
        Longest phrase (characters).
    min_share : float
        A phrase must occur in at least this share of the group's texts (and in 2 of them).
    max_phrases : {1, 2}
        Phrases per name.
    sample : int
        Texts per group read to find candidates (a seeded random sample, :func:`sample_members`;
        0: all). The chosen phrases' coverage is then counted on every member.
    budget : int
        Texts read in all groups together (0: no limit): with many groups each reads
        ``budget // groups`` of its texts, at least ``min(sample, 300)`` (:meth:`group_sample`).
        Reading costs about 0.27 ms a call note (MeCab and the span rules); 40 themes of 1,000
        texts took 11 s of a 100k-note report.
    distinctness : float
        Weight of the competing group's use of a phrase against its coverage here.
    random_state : int
        Seed of the sample.
    n_jobs : int or None
        Processes that parse the sampled texts when there are many (-1: one per core; the names
        do not depend on it).

    Notes
    -----
    Deterministic: the same texts, labels and parameters give the same names. Parsed candidates
    are memoized per text (dropped when pickled), so naming the sub-themes of a theme that was just
    named does not parse its texts again.
    """

    def __init__(
        self,
        max_chars: int = 16,
        min_share: float = 0.03,
        max_phrases: int = 2,
        sample: int = 1000,
        budget: int = 10_000,
        distinctness: float = 1.0,
        random_state: int = 0,
        n_jobs: int | None = 1,
    ) -> None:
        self.max_chars = max_chars
        self.min_share = min_share
        self.max_phrases = max_phrases
        self.sample = sample
        self.budget = budget
        self.distinctness = distinctness
        self.random_state = random_state
        self.n_jobs = n_jobs

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_memo", None)
        state.pop("_keys", None)
        state.pop("_tagger", None)
        return state

    def __repr__(self) -> str:
        return f"PhraseNamer(max_chars={self.max_chars}, min_share={self.min_share}, max_phrases={self.max_phrases})"

    # -- parsing ---------------------------------------------------------------------------------
    def _candidates(self, texts: list[str]) -> list[frozenset[str]]:
        """Candidate phrases of each (NFKC) text, memoized (their keys in ``self._keys``)."""
        memo: dict[str, frozenset[str]] = self.__dict__.setdefault("_memo", {})
        keys: dict[str, str] = self.__dict__.setdefault("_keys", {})
        todo = list(dict.fromkeys(t for t in texts if t not in memo))
        for text, found in zip(todo, self._parse(todo), strict=True):
            memo[text] = frozenset(found)
            for phrase, key in found.items():
                keys.setdefault(phrase, key)
        return [memo[t] for t in texts]

    def _parse(self, texts: list[str]) -> Iterable[dict[str, str]]:
        """:func:`voc.naming._spans.candidates` of each text: in worker processes when there are
        many (MeCab and the span rules cost about 0.27 ms a call note), else here."""
        from voc.parallel import forked_map, resolve_n_jobs

        jobs = min(resolve_n_jobs(self.n_jobs), len(texts) // _CHUNK)
        if jobs > 1 and len(texts) >= _PARALLEL_MIN:
            chunks = [(texts[i : i + _CHUNK], self.max_chars) for i in range(0, len(texts), _CHUNK)]
            for found in forked_map(_parse_chunk, chunks, jobs):
                yield from found
            return
        if "_tagger" not in self.__dict__:
            from voc._tagger import FastTagger

            self._tagger = FastTagger(features=PARSE_FEATURES, joined=True)
        for i in range(0, len(texts), _BATCH):
            batch = texts[i : i + _BATCH]
            for text, records in zip(batch, self._tagger.records_many(batch), strict=True):
                yield candidates(text, records, self.max_chars)

    # -- naming ----------------------------------------------------------------------------------
    def group_sample(self, n_groups: int) -> int:
        """Texts each of *n_groups* groups reads (0: all): ``sample``, less when ``budget`` is
        shared by many groups, but not below ``min(sample, 300)``."""
        if not self.sample or not self.budget:
            return int(self.sample)
        return int(max(min(self.sample, 300), min(self.sample, self.budget // max(1, n_groups))))

    def name(
        self, texts: Sequence[str], labels: Sequence[int] | np.ndarray, *, reserved: Iterable[str] = ()
    ) -> dict[int, ThemeName]:
        """A name for each group of *texts* (see :meth:`voc.naming.Namer.name`)."""
        labels = np.asarray(labels, dtype=int)
        if len(labels) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
        if self.max_phrases not in (1, 2):
            raise ValueError(f"max_phrases must be one of (1, 2), got {self.max_phrases!r}")
        groups = sorted(int(g) for g in set(labels.tolist()) if g >= 0)
        if not groups:
            return {}
        members = {g: np.flatnonzero(labels == g) for g in groups}
        per_group = self.group_sample(len(groups))
        sampled: dict[int, list[str]] = {}
        for g in groups:
            idx = sample_members(members[g], per_group, self.random_state, g)
            sampled[g] = [unicodedata.normalize("NFKC", str(texts[i])) for i in idx]
        # for distinctness, each group's first RIVAL_SAMPLE sampled texts in one string (substring
        # counts: 料理 inside 中華料理 counts, as a reader would see it)
        joined = {g: "\n".join(sampled[g][:RIVAL_SAMPLE]) for g in groups}
        uses: dict[str, dict[int, float]] = {}  # phrase → its occurrences per text in each group
        ranked = {g: self._rank(g, sampled, joined, uses, len(members[g])) for g in groups}
        names = self._assign(groups, ranked, set(reserved))
        # the sample's coverage, checked on every member when the group was sampled
        out: dict[int, ThemeName] = {}
        for g in groups:
            phrases, cov = names[g]
            if per_group and len(members[g]) > per_group:
                full = [unicodedata.normalize("NFKC", str(texts[i])) for i in members[g]]
                cov = tuple(sum(p in t for t in full) / len(full) for p in phrases)
            need = self._need(len(members[g]))
            grounded = bool(phrases) and all(c * len(members[g]) >= need - 1e-9 for c in cov)
            out[g] = ThemeName(tuple(phrases), tuple(float(c) for c in cov), SEPARATOR.join(phrases), grounded)
        _deduplicate(out, groups)
        return out

    def _need(self, n: int) -> float:
        """Texts a phrase must occur in, for a group of *n*."""
        return max(min(2.0, float(n)), self.min_share * n)

    def _rank(
        self, g: int, sampled: dict[int, list[str]], joined: dict[int, str], uses: dict[str, dict[int, float]],
        size: int,
    ) -> list[tuple[float, str, float, np.ndarray]]:
        """Scored candidates of group *g* (of *size* texts, ``sampled[g]`` read): ``(score, phrase,
        coverage, which texts hold it)``, best first."""
        texts = sampled[g]
        n = len(texts)
        # read a sample, a phrase must be whole clearly enough that the unread texts cannot make it
        # a fragment: the one-sided 95% lower bound of its whole share (with the finite-population
        # correction; 0 when every text was read) must reach WHOLE_SHARE. Without it, 鉄板焼
        # (鉄板焼き) named a group of ASDC's requests from 909 of its 970 texts
        unread = max(0.0, 1.0 - n / max(1, size))
        df: Counter[str] = Counter()
        for c in self._candidates(texts):
            df.update(c)
        need = self._need(n)
        pool = sorted((p for p, k in df.items() if k >= need), key=lambda p: (-df[p], p))[:_POOL]
        others = [h for h in sampled if h != g]
        out = []
        for p in pool:
            holds = np.fromiter((p in t for t in texts), dtype=bool, count=n)
            cov = float(holds.mean())
            held = int(holds.sum())
            whole = df[p] / max(1, held)
            margin = 1.645 * math.sqrt(whole * (1.0 - whole) / max(1, held) * unread) if unread else 0.0
            if whole - margin < WHOLE_SHARE or held < need:
                continue  # mostly inside a longer word here (禍 in コロナ禍) or too rare
            # occurrences per text in the other group that uses it most
            if p not in uses:  # counted once per phrase: many groups' pools share it
                uses[p] = {h: joined[h].count(p) / min(len(sampled[h]), RIVAL_SAMPLE) for h in sampled}
            rival = max((uses[p][h] for h in others), default=0.0)
            disc = cov - self.distinctness * min(rival, 1.0)
            # a phrase another group uses as much is kept as a last resort (ranked by coverage,
            # after every distinctive one), so that a group of generic texts still gets a name
            score = disc * _informative(p) if disc > 0 else cov - 2.0
            out.append((score, p, cov, holds))
        out.sort(key=lambda r: (-r[0], r[1]))
        return out

    def _assign(
        self, groups: list[int], ranked: dict[int, list[tuple[float, str, float, np.ndarray]]], used: set[str]
    ) -> dict[int, tuple[list[str], list[float]]]:
        """First phrases greedily, the best-scoring (group, phrase) first, each phrase once; then
        second phrases where they add coverage."""
        keys: dict[str, str] = self.__dict__.get("_keys", {})
        names: dict[int, tuple[list[str], list[float]]] = {}
        first: dict[int, tuple[float, str, float, np.ndarray]] = {}
        todo = set(groups)
        while todo:
            best = None
            for g in sorted(todo):
                row = next((r for r in ranked[g] if r[1] not in used), None)
                key = (row[0] if row else -math.inf, -g)
                if best is None or key > best[0]:
                    best = (key, g, row)
            assert best is not None
            _, g, row = best
            todo.discard(g)
            if row is None:
                names[g] = ([], [])
                continue
            used.add(row[1])
            first[g] = row
            names[g] = ([row[1]], [row[2]])
        if self.max_phrases == 2:
            for g in sorted(first):
                s1, p1, c1, h1 = first[g]
                if c1 >= 0.5 or s1 <= 0:
                    continue
                k1 = keys.get(p1, p1)
                for score, p, cov, holds in ranked[g]:
                    if p in used or p in p1 or p1 in p or len(p1) + len(p) > self.max_chars + 8:
                        continue
                    if keys.get(p, p) == k1:  # 子ども / 子供: one word twice
                        continue
                    if score < 0.5 * s1:
                        break  # ranked: nothing further is good enough either
                    gain = float((holds & ~h1).mean())
                    if gain >= max(0.1, 0.3 * c1):
                        names[g][0].append(p)
                        names[g][1].append(cov)
                        used.add(p)
                        break
        return names


def _informative(phrase: str) -> float:
    """A little more weight for phrases that join a noun to what is said about it (が高い)."""
    joins = sum(phrase.count(c) for c in "がをにはもで")
    return 1.0 + 0.25 * min(joins, 1) + 0.02 * min(len(phrase), 8)


def _deduplicate(out: dict[int, ThemeName], groups: list[int]) -> None:
    """Make labels unique (only groups left without a phrase can collide): number the later ones."""
    seen: Counter[str] = Counter()
    for g in groups:
        name = out[g]
        seen[name.label] += 1
        if seen[name.label] > 1 or not name.label:
            label = f"{name.label or 'テーマ'} ({seen[name.label]})"
            out[g] = ThemeName(name.phrases, name.coverage, label, name.grounded)
