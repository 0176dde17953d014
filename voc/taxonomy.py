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

    [[subtheme]]                               # a sub-theme of theme 3 (ids share the themes' id space)
    id = 41
    theme = 3                                  # the theme it belongs to: change it to move the sub-theme
    name = "初期費用が高い"
    # merge_into = 42                          # reported as part of sub-theme 42 (same theme)
    # promote = true                           # reported as a theme of its own, with id 41

Field names may also be written in Japanese: ``名前`` (name), ``シード語`` (seed_words),
``メモ`` (notes), ``訴求メッセージ案`` (messaging), ``製品アイデア`` (product_idea), ``担当`` (owner),
``ステータス`` (status), ``統合先`` (merge_into). Quote them in TOML: ``"訴求メッセージ案" = "…"``.
Ids (``id``, ``merge_into``, ``theme``, ``found_in``) are whole numbers from 0 to 999,999,999 (a notebook editor without history numbers themes from 0)
(:data:`MAX_ID`); a file with another id is refused, naming the entry. ``keywords`` is written by voc (the last run's keywords, to help a reader recognise the theme) and
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

__all__ = ["ThemeEntry", "SubthemeEntry", "Taxonomy", "load_taxonomy", "save_taxonomy", "dumps_taxonomy", "MARKETING_FIELDS", "STATUS_NEW"]

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
    "テーマ": "theme",
    "昇格": "promote",
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
class SubthemeEntry:
    """One sub-theme of the taxonomy: ``id`` and ``theme`` (its parent) are required."""

    id: int
    theme: int
    name: str = ""
    notes: str = ""
    merge_into: int | None = None  # reported as part of this sub-theme (same theme)
    promote: bool = False  # reported as a theme of its own (theme id = this id)
    keywords: list[str] = field(default_factory=list)
    found_in: int | None = None  # written by voc: the theme the sub-theme is found in (before a move)

    @property
    def origin(self) -> int:
        """The theme whose texts hold this sub-theme: where a run looks for it."""
        return int(self.found_in if self.found_in is not None else self.theme)


@dataclass
class Taxonomy:
    """All theme and sub-theme entries of one taxonomy file, kept sorted by id."""

    themes: list[ThemeEntry] = field(default_factory=list)
    path: Path | None = None
    subthemes: list[SubthemeEntry] = field(default_factory=list)

    # -- look-up -----------------------------------------------------------------------------------
    def get(self, theme_id: int) -> ThemeEntry | None:
        """The entry for *theme_id*, or ``None``."""
        for entry in self.themes:
            if entry.id == theme_id:
                return entry
        return None

    def ids(self) -> list[int]:
        """Every id the file uses, themes' and sub-themes' (one id space)."""
        return [e.id for e in self.themes] + [e.id for e in self.subthemes]

    def subtheme(self, subtheme_id: int) -> SubthemeEntry | None:
        """The sub-theme entry for *subtheme_id*, or ``None``."""
        return next((e for e in self.subthemes if e.id == subtheme_id), None)

    def resolve_subtheme(self, subtheme_id: int) -> int:
        """The sub-theme *subtheme_id* is reported under after following ``merge_into`` links."""
        seen, current = [int(subtheme_id)], int(subtheme_id)
        while (entry := self.subtheme(current)) is not None and entry.merge_into is not None:
            current = int(entry.merge_into)
            if current in seen:
                chain = " → ".join(str(i) for i in [*seen, current])
                raise ConfigError(f"taxonomy {self.path or ''}: sub-theme merge_into makes a cycle: {chain}")
            seen.append(current)
        return current

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

    def ensure_subtheme(self, subtheme_id: int, theme_id: int, *, name: str = "",
                        keywords: list[str] | None = None) -> SubthemeEntry:
        """The sub-theme entry for *subtheme_id*, created under *theme_id* when missing; refreshes
        ``keywords``."""
        entry = self.subtheme(subtheme_id)
        if entry is None:
            entry = SubthemeEntry(id=int(subtheme_id), theme=int(theme_id), name=name, found_in=int(theme_id))
            self.subthemes.append(entry)
            self.subthemes.sort(key=lambda e: e.id)
        if keywords is not None:
            entry.keywords = list(keywords)
        return entry

    def _known_subtheme(self, subtheme_id: int) -> SubthemeEntry:
        entry = self.subtheme(subtheme_id)
        if entry is None:
            raise ConfigError(f"taxonomy: no sub-theme {subtheme_id}; sub-themes are {[e.id for e in self.subthemes]}")
        return entry

    def rename_subtheme(self, subtheme_id: int, name: str) -> SubthemeEntry:
        """Give sub-theme *subtheme_id* a new display name."""
        if not name.strip():
            raise ConfigError(f"taxonomy: the new name of sub-theme {subtheme_id} is empty")
        entry = self._known_subtheme(subtheme_id)
        entry.name = name.strip()
        return entry

    def merge_subtheme(self, source_id: int, target_id: int) -> SubthemeEntry:
        """Report sub-theme *source_id* as part of *target_id* (a sub-theme of the same theme)."""
        source, target = self._known_subtheme(source_id), self._known_subtheme(target_id)
        if source.id == target.id:
            raise ConfigError(f"taxonomy: cannot merge sub-theme {source_id} into itself")
        if source.theme != target.theme:
            raise ConfigError(
                f"taxonomy: sub-themes {source_id} (theme {source.theme}) and {target_id} (theme {target.theme}) "
                f"belong to different themes; move one first (move_subtheme)"
            )
        if self.resolve_subtheme(target_id) == source_id:
            raise ConfigError(f"taxonomy: merging sub-theme {source_id} into {target_id} would make a cycle")
        source.merge_into = target.id
        return source

    def move_subtheme(self, subtheme_id: int, theme_id: int) -> SubthemeEntry:
        """Report sub-theme *subtheme_id* (and its texts) under theme *theme_id*."""
        entry = self._known_subtheme(subtheme_id)
        if entry.merge_into is not None:
            raise ConfigError(f"taxonomy: sub-theme {subtheme_id} is merged into {entry.merge_into}; move that one")
        self.ensure(theme_id)
        entry.theme, entry.promote = int(theme_id), False
        return entry

    def promote_subtheme(self, subtheme_id: int) -> SubthemeEntry:
        """Report sub-theme *subtheme_id* as a theme of its own (theme id = its id)."""
        entry = self._known_subtheme(subtheme_id)
        entry.promote, entry.merge_into = True, None
        self.ensure(entry.id, name=entry.name)
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


#: The largest theme or sub-theme id a taxonomy may hold. The run history stores ids as 32-bit
#: integers (``voc.history.store``) and voc numbers a new theme from the largest id + 1, so ids stay
#: below 10⁹: room for a billion more themes, and each exact in JavaScript and Excel.
MAX_ID = 999_999_999


def _check_id(values: dict[str, Any], key: str, what: str) -> None:
    """A ConfigError naming the entry *what* when ``values[key]`` is outside ``0 .. MAX_ID``."""
    if key in values and not 0 <= values[key] <= MAX_ID:
        raise ConfigError(
            f"{what}: {key} {values[key]} is out of range; ids are whole numbers between 0 and {MAX_ID:,} "
            "(the run history stores them as 32-bit integers): use the id voc wrote, or a small unused one"
        )


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
        _check_id(values, key, f"taxonomy {where}: theme number {index + 1}")
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


def _parse_subtheme(raw: Any, index: int, where: str) -> SubthemeEntry:
    what = f"taxonomy {where}: [[subtheme]] number {index + 1}"
    if not isinstance(raw, dict):
        raise ConfigError(f"{what} is not a table")
    values = {_ALIASES.get(k, k): v for k, v in raw.items()}
    fields = SubthemeEntry.__dataclass_fields__
    for key in values:
        if key not in fields:
            raise ConfigError(f"{what} has unknown key {key!r}; valid keys are {', '.join(fields)}")
    for key in ("id", "theme"):
        if key not in values:
            raise ConfigError(f"{what} has no {key}; add e.g. {key} = 1")
    for key in ("id", "theme", "merge_into", "found_in"):
        if key in values and (isinstance(values[key], bool) or not isinstance(values[key], int)):
            raise ConfigError(f"{what}: {key} must be an integer, got {values[key]!r}")
        _check_id(values, key, what)
    for key in ("name", "notes"):
        if key in values and not isinstance(values[key], str):
            raise ConfigError(f"{what}: {key} must be a string, got {values[key]!r}")
    if "promote" in values and not isinstance(values["promote"], bool):
        raise ConfigError(f"{what}: promote must be true or false, got {values['promote']!r}")
    if isinstance(values.get("keywords"), str):
        values["keywords"] = [values["keywords"]]
    if "keywords" in values and not (isinstance(values["keywords"], list) and all(isinstance(w, str) for w in values["keywords"])):
        raise ConfigError(f"{what}: keywords must be a list of strings")
    return SubthemeEntry(**values)


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
    unknown = set(raw) - {"version", "theme", "subtheme"}
    if unknown:
        raise ConfigError(
            f"taxonomy file {path}: unknown top-level key(s) {sorted(unknown)}; use [[theme]] and [[subtheme]] tables"
        )
    items = raw.get("theme", [])
    if not isinstance(items, list):
        raise ConfigError(f"taxonomy file {path}: 'theme' must be an array of tables, written [[theme]]")
    entries = [_parse_entry(item, i, str(path)) for i, item in enumerate(items)]
    subs = raw.get("subtheme", [])
    if not isinstance(subs, list):
        raise ConfigError(f"taxonomy file {path}: 'subtheme' must be an array of tables, written [[subtheme]]")
    sub_entries = [_parse_subtheme(item, i, str(path)) for i, item in enumerate(subs)]
    seen: set[int] = set()
    for e in entries:
        if e.id in seen:
            raise ConfigError(f"taxonomy file {path}: theme id {e.id} appears twice; ids must be unique")
        seen.add(e.id)
    seen_sub: set[int] = set()
    for sub in sub_entries:
        if sub.id in seen_sub or (sub.id in seen and not sub.promote):
            raise ConfigError(f"taxonomy file {path}: sub-theme id {sub.id} is used twice; ids must be unique "
                              "(a theme may share its id only with the sub-theme promoted to it)")
        seen_sub.add(sub.id)
    tax = Taxonomy(themes=sorted(entries, key=lambda e: e.id), path=path,
                   subthemes=sorted(sub_entries, key=lambda e: e.id))
    tax.merge_map()  # raises on cycles
    for sub in tax.subthemes:
        tax.resolve_subtheme(sub.id)
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
    for sub in sorted(tax.subthemes, key=lambda e: e.id):
        lines += ["", "[[subtheme]]", f"id = {sub.id}", f"theme = {sub.theme}  # 親テーマのID (変えると移動)",
                  f"name = {_toml_str(sub.name)}  # {_COMMENTS['name']}", f"notes = {_toml_str(sub.notes)}"]
        if sub.merge_into is not None:
            lines.append(f"merge_into = {int(sub.merge_into)}  # このサブテーマを統合する先のID (同じテーマ内)")
        lines.append(f"promote = {'true' if sub.promote else 'false'}  # true: テーマに昇格")
        lines.append(f"keywords = {_toml_list(sub.keywords)}  # {_COMMENTS['keywords']}")
        if sub.found_in is not None:
            lines.append(f"found_in = {int(sub.found_in)}  # voc が記録: 見つかったテーマ (移動前)")
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
