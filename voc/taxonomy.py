"""The theme taxonomy: a human-editable TOML file that names, merges, seeds and annotates themes.

The file lives in the user's repository (versioned with git) and is re-applied by every run. Each
theme has a **stable id** (the same id voc keeps across runs, see :mod:`voc.history.matching`), a name, and
fields marketing fills in. A minimal file::

    # voc taxonomy (UTF-8). Edit names, seed words and marketing fields; keep the ids.
    version = 1

    [[theme]]
    id = 3
    name = "価格が高い"                        # shown instead of the automatic label
    seed_words = ["価格", "高い", "割高"]       # guided topics: pulls matching notes into this theme
    notes = "2026年度上期に値下げ検討"
    messaging = "初期費用ゼロ・月額課金で小さく始められる"   # 訴求メッセージ案
    product_idea = "50名以下向けライトプラン"              # 製品アイデア
    owner = "佐藤"
    status = "対応中"                          # free text; voc writes 新規 for themes it adds

    [[theme]]
    id = 7
    merge_into = 3                             # theme 7 is reported as part of theme 3

Field names may also be written in Japanese: ``名前`` (name), ``シード語`` (seed_words),
``メモ`` (notes), ``訴求メッセージ案`` (messaging), ``製品アイデア`` (product_idea), ``担当`` (owner),
``ステータス`` (status), ``統合先`` (merge_into). Quote them in TOML: ``"訴求メッセージ案" = "…"``.
``keywords`` is written by voc (the last run's keywords, to help a reader recognise the theme) and
ignored when applied.

Public API: :class:`ThemeEntry`, :class:`Taxonomy` (``get``, ``rename``, ``merge``, ``set_seed_words``,
``ensure``, ``merge_map``, ``resolve``, ``seed_topic_list``, ``marketing``), :func:`load_taxonomy`,
:func:`save_taxonomy`, :data:`MARKETING_FIELDS`.
"""

from __future__ import annotations

import json
import os
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from voc.errors import ConfigError

__all__ = ["ThemeEntry", "Taxonomy", "load_taxonomy", "save_taxonomy", "dumps_taxonomy", "guide_embeddings", "MARKETING_FIELDS", "STATUS_NEW"]

#: Keys of ``ThemeRow.marketing`` (report model), in display order, with their Japanese captions.
MARKETING_FIELDS: dict[str, str] = {
    "messaging": "訴求メッセージ案",
    "product_idea": "製品アイデア",
    "owner": "担当",
    "status": "ステータス",
    "notes": "メモ",
}

#: Status given to themes a run adds (no match in the previous run).
STATUS_NEW = "新規"

_ALIASES = {
    "名前": "name",
    "シード語": "seed_words",
    "メモ": "notes",
    "訴求メッセージ案": "messaging",
    "製品アイデア": "product_idea",
    "担当": "owner",
    "ステータス": "status",
    "統合先": "merge_into",
    "キーワード": "keywords",
}
_STR_FIELDS = ("name", "notes", "messaging", "product_idea", "owner", "status")
_LIST_FIELDS = ("seed_words", "keywords")


@dataclass
class ThemeEntry:
    """One theme of the taxonomy. Only ``id`` is required; empty strings mean "not set"."""

    id: int
    name: str = ""
    seed_words: list[str] = field(default_factory=list)
    notes: str = ""
    messaging: str = ""
    product_idea: str = ""
    owner: str = ""
    status: str = ""
    merge_into: int | None = None
    keywords: list[str] = field(default_factory=list)

    def marketing(self) -> dict[str, str]:
        """The marketing fields as ``ThemeRow.marketing`` holds them (only the non-empty ones)."""
        return {k: getattr(self, k) for k in MARKETING_FIELDS if getattr(self, k)}


@dataclass
class Taxonomy:
    """All theme entries of one taxonomy file, kept sorted by id."""

    themes: list[ThemeEntry] = field(default_factory=list)
    path: Path | None = None

    # -- look-up -----------------------------------------------------------------------------------
    def get(self, theme_id: int) -> ThemeEntry | None:
        """The entry for *theme_id*, or ``None``."""
        for entry in self.themes:
            if entry.id == theme_id:
                return entry
        return None

    def ids(self) -> list[int]:
        return [e.id for e in self.themes]

    def name_of(self, theme_id: int, default: str) -> str:
        """The name the taxonomy gives *theme_id* (after merges), else *default*."""
        entry = self.get(self.resolve(theme_id))
        return entry.name if entry is not None and entry.name else default

    def marketing(self, theme_id: int) -> dict[str, str]:
        """Marketing fields of *theme_id* (after merges); ``{}`` when it has no entry."""
        entry = self.get(self.resolve(theme_id))
        return entry.marketing() if entry is not None else {}

    # -- edits (in memory; call save_taxonomy to write) ---------------------------------------------
    def ensure(self, theme_id: int, *, name: str = "", keywords: list[str] | None = None, status: str = "") -> ThemeEntry:
        """The entry for *theme_id*, created (with *name*, *status*) when missing; refreshes ``keywords``."""
        entry = self.get(theme_id)
        if entry is None:
            entry = ThemeEntry(id=int(theme_id), name=name, status=status)
            self.themes.append(entry)
            self.themes.sort(key=lambda e: e.id)
        if keywords is not None:
            entry.keywords = list(keywords)
        return entry

    def rename(self, theme_id: int, name: str) -> ThemeEntry:
        """Give *theme_id* a new display name."""
        if not name.strip():
            raise ConfigError(f"taxonomy: the new name of theme {theme_id} is empty")
        entry = self.ensure(theme_id)
        entry.name = name.strip()
        return entry

    def merge(self, source_id: int, target_id: int) -> ThemeEntry:
        """Report theme *source_id* as part of *target_id* from the next run on."""
        if source_id == target_id:
            raise ConfigError(f"taxonomy: cannot merge theme {source_id} into itself")
        if self.resolve(target_id) == source_id:
            raise ConfigError(f"taxonomy: merging {source_id} into {target_id} would make a cycle")
        self.ensure(target_id)
        entry = self.ensure(source_id)
        entry.merge_into = int(target_id)
        return entry

    def set_seed_words(self, theme_id: int, words: list[str]) -> ThemeEntry:
        """Seed words for guided topics (BERTopic ``seed_topic_list``)."""
        entry = self.ensure(theme_id)
        entry.seed_words = [w.strip() for w in words if w.strip()]
        return entry

    # -- applying ----------------------------------------------------------------------------------
    def merge_map(self) -> dict[int, int]:
        """``{source id: final target id}`` for every merged theme (chains followed)."""
        return {e.id: self.resolve(e.id) for e in self.themes if e.merge_into is not None}

    def resolve(self, theme_id: int) -> int:
        """The id *theme_id* is reported under after following ``merge_into`` links."""
        seen = [int(theme_id)]
        current = int(theme_id)
        while True:
            entry = self.get(current)
            if entry is None or entry.merge_into is None:
                return current
            current = int(entry.merge_into)
            if current in seen:
                chain = " → ".join(str(i) for i in [*seen, current])
                raise ConfigError(f"taxonomy {self.path or ''}: merge_into makes a cycle: {chain}; remove one link")
            seen.append(current)

    def seed_topic_list(self) -> list[list[str]]:
        """Seed word lists of the themes that have any (not merged away), in id order."""
        return [list(e.seed_words) for e in self.themes if e.seed_words and e.merge_into is None]


def _parse_entry(raw: Any, index: int, where: str) -> ThemeEntry:
    if not isinstance(raw, dict):
        raise ConfigError(f"taxonomy {where}: [[theme]] number {index + 1} is not a table")
    values: dict[str, Any] = {}
    for key, value in raw.items():
        name = _ALIASES.get(key, key)
        if name not in ThemeEntry.__dataclass_fields__:
            valid = ", ".join(ThemeEntry.__dataclass_fields__)
            raise ConfigError(f"taxonomy {where}: theme number {index + 1} has unknown key {key!r}; valid keys are {valid}")
        values[name] = value
    if "id" not in values:
        raise ConfigError(f"taxonomy {where}: theme number {index + 1} has no id; add e.g. id = {index + 1}")
    for key in ("id", "merge_into"):
        if key in values and (isinstance(values[key], bool) or not isinstance(values[key], int)):
            raise ConfigError(f"taxonomy {where}: theme number {index + 1}: {key} must be an integer, got {values[key]!r}")
    for key in _STR_FIELDS:
        if key in values and not isinstance(values[key], str):
            raise ConfigError(f"taxonomy {where}: theme {values['id']}: {key} must be a string, got {values[key]!r}")
    for key in _LIST_FIELDS:
        if key in values:
            if isinstance(values[key], str):
                values[key] = [values[key]]
            if not isinstance(values[key], list) or not all(isinstance(w, str) for w in values[key]):
                raise ConfigError(f"taxonomy {where}: theme {values['id']}: {key} must be a list of strings")
    return ThemeEntry(**values)


def load_taxonomy(path: str | Path, *, missing_ok: bool = False) -> Taxonomy:
    """Read a taxonomy file.

    Parameters
    ----------
    path : path of the TOML file.
    missing_ok : return an empty :class:`Taxonomy` (remembering *path*) when the file does not exist.

    Raises
    ------
    ConfigError
        The file is missing (unless *missing_ok*), not valid TOML, or an entry is malformed
        (duplicate id, unknown key, wrong type, merge cycle); the message names the file and theme.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if missing_ok:
            return Taxonomy(path=path)
        raise ConfigError(f"taxonomy file {path} does not exist; run voc report once to create it") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"taxonomy file {path} is not UTF-8 ({exc.reason}); save it as UTF-8") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"taxonomy file {path} is not valid TOML: {exc}") from None
    unknown = set(raw) - {"version", "theme"}
    if unknown:
        raise ConfigError(f"taxonomy file {path}: unknown top-level key(s) {sorted(unknown)}; use [[theme]] tables")
    items = raw.get("theme", [])
    if not isinstance(items, list):
        raise ConfigError(f"taxonomy file {path}: 'theme' must be an array of tables, written [[theme]]")
    entries = [_parse_entry(item, i, str(path)) for i, item in enumerate(items)]
    seen: set[int] = set()
    for e in entries:
        if e.id in seen:
            raise ConfigError(f"taxonomy file {path}: theme id {e.id} appears twice; ids must be unique")
        seen.add(e.id)
    tax = Taxonomy(themes=sorted(entries, key=lambda e: e.id), path=path)
    tax.merge_map()  # raises on cycles
    return tax


def _toml_str(value: str) -> str:
    # A JSON string (without \u escapes for non-ASCII) is a valid TOML basic string.
    return json.dumps(value, ensure_ascii=False)


def _toml_list(values: list[str]) -> str:
    return "[" + ", ".join(_toml_str(v) for v in values) + "]"


_COMMENTS = {
    "name": "表示名 (空なら自動ラベル)",
    "seed_words": "シード語: ガイド付きトピック",
    "messaging": "訴求メッセージ案",
    "product_idea": "製品アイデア",
    "owner": "担当",
    "status": "ステータス (新規/検討中/対応中/完了 など自由記述)",
    "merge_into": "このテーマを統合する先のID",
    "keywords": "前回の実行のキーワード (voc が更新、参照用)",
}


def dumps_taxonomy(tax: Taxonomy) -> str:
    """The TOML text :func:`save_taxonomy` writes (every field written, so each is easy to fill)."""
    lines = [
        "# voc taxonomy (UTF-8). 名前・シード語・マーケティング項目を編集してください。id は変更しないこと。",
        "# Edit names, seed words and marketing fields; keep the ids. Re-applied by every voc run.",
        "version = 1",
    ]
    for e in sorted(tax.themes, key=lambda e: e.id):
        lines += ["", "[[theme]]", f"id = {e.id}"]
        for key in ("name", "seed_words", "notes", "messaging", "product_idea", "owner", "status", "merge_into", "keywords"):
            value = getattr(e, key)
            if key == "merge_into":
                if value is None:
                    continue
                text = str(int(value))
            elif key in _LIST_FIELDS:
                text = _toml_list(value)
            else:
                text = _toml_str(value)
            comment = f"  # {_COMMENTS[key]}" if key in _COMMENTS else ""
            lines.append(f"{key} = {text}{comment}")
    return "\n".join(lines) + "\n"


def save_taxonomy(tax: Taxonomy, path: str | Path | None = None) -> Path:
    """Write *tax* to *path* (default: where it was loaded from) atomically; returns the path."""
    target = Path(path) if path is not None else tax.path
    if target is None:
        raise ConfigError("save_taxonomy: no path given and the taxonomy was not loaded from a file")
    text = dumps_taxonomy(tax)
    tomllib.loads(text)  # never write a file voc could not read back
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ConfigError(f"cannot write taxonomy file {target}: {exc.strerror or exc}") from exc
    tax.path = target
    return target


def guide_embeddings(embeddings: Any, seed_embeddings: Any) -> tuple[Any, Any]:
    """BERTopic's guided topic modelling step, on voc's own embeddings.

    Each document is compared (cosine) with every seed topic's embedding and with the corpus mean;
    documents nearest to a seed topic are moved a quarter of the way towards it (weights 3:1, as
    ``BERTopic._guided_topic_modeling``), which pulls them into one cluster. Returns the new
    embeddings (a copy) and the seed topic of each document (``-1`` = none).

    Parameters
    ----------
    embeddings : array of shape (n_documents, dim)
    seed_embeddings : array of shape (n_seed_topics, dim), the embedding of each seed word list
    """
    import numpy as np

    emb = np.array(embeddings, dtype=float, copy=True)
    seeds = np.asarray(seed_embeddings, dtype=float)
    anchors = np.vstack([seeds, emb.mean(axis=0, keepdims=True)])

    def _unit(m: Any) -> Any:
        n = np.linalg.norm(m, axis=1, keepdims=True)
        return m / np.where(n > 0, n, 1.0)

    nearest = np.argmax(_unit(emb) @ _unit(anchors).T, axis=1)
    nearest[nearest == len(seeds)] = -1
    for s in range(len(seeds)):
        idx = nearest == s
        if idx.any() and np.linalg.norm(seeds[s]) > 0:
            emb[idx] = (3 * emb[idx] + seeds[s]) / 4
    return emb, nearest
