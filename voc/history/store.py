"""Run history in an embedded DuckDB file (default ``reports/history.duckdb``, ``[history] path``).

Every successful ``voc report`` adds one run. voc creates the schema on first use and migrates
older files forward itself (the ``schema_version`` table records each step); never edit the tables
by hand. Schema (version 5)::

    schema_version(version INTEGER, applied_at TIMESTAMP)        -- one row per applied migration
    runs(run_id VARCHAR PRIMARY KEY,    -- e.g. "20261128T010203Z-3f2a1c"
         created_at TIMESTAMP,          -- UTC
         input_path VARCHAR, input_checksum VARCHAR,             -- "sha256:…"
         config VARCHAR,                -- the run's options as JSON
         n_read INTEGER, n_kept INTEGER, n_rejected INTEGER, n_themes INTEGER, n_unassigned INTEGER,
         voc_version VARCHAR,
         since DATE, until DATE,        -- v2: the --since/--until window (NULL = open)
         previous_run_id VARCHAR,       -- v2: the run whose ids this one matched against
         auto_k INTEGER)                -- v3: the number of themes auto mode chose (NULL: given)
    themes(run_id VARCHAR, theme_id INTEGER,   -- the stable id (before taxonomy merges)
           reported_as INTEGER,         -- the id it is reported under after merges
           label VARCHAR, size INTEGER, share DOUBLE,
           keywords VARCHAR[], keyword_weights DOUBLE[],   -- c-TF-IDF keywords, best first
           status VARCHAR,              -- v2: "新規" or ""
           centroid_terms VARCHAR[], centroid_weights DOUBLE[],  -- v2: term centroid (voc.history.matching)
           written_keywords VARCHAR[],  -- v4: keywords as the notes spell them (タダ for 只)
           PRIMARY KEY (run_id, theme_id))
    subthemes(run_id VARCHAR, subtheme_id INTEGER,   -- v5: the stable id (ids shared with themes)
           theme_id INTEGER,            -- the reported theme it belongs to
           reported_as INTEGER,         -- the sub-theme it is reported under after taxonomy merges
           label, size, share (of the theme), keywords, keyword_weights, status,
           centroid_terms, centroid_weights, written_keywords,   -- as in themes
           PRIMARY KEY (run_id, subtheme_id))
    assignments(run_id VARCHAR, "row" INTEGER, record_id VARCHAR, theme_id INTEGER,
           subtheme_id INTEGER)         -- v5
           -- theme_id: the reported id (after merges), -1 = unassigned; "row" as in assignments.csv;
           -- subtheme_id: the reported sub-theme, -1 = none (NULL for runs before v5)

Version 1 (voc before run matching) had no ``since``/``until``/``previous_run_id``, ``status`` or
centroid columns, version 2 no ``auto_k``, version 3 no ``written_keywords`` and version 4 no
sub-themes; opening such a file adds them (empty for the old runs).

DuckDB lets one process write a file at a time: a second concurrent writer gets a clear
:class:`~voc.errors.VocError`.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voc.errors import ConfigError, VocError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["RunStore", "SCHEMA_VERSION", "DEFAULT_HISTORY_PATH", "check_history_path"]

log = logging.getLogger(__name__)

DEFAULT_HISTORY_PATH = "reports/history.duckdb"

_MIGRATIONS: list[list[str]] = [
    [  # 1: runs, themes, assignments
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)",
        """CREATE TABLE runs (
            run_id VARCHAR PRIMARY KEY, created_at TIMESTAMP NOT NULL,
            input_path VARCHAR, input_checksum VARCHAR, config VARCHAR,
            n_read INTEGER, n_kept INTEGER, n_rejected INTEGER, n_themes INTEGER, n_unassigned INTEGER,
            voc_version VARCHAR)""",
        """CREATE TABLE themes (
            run_id VARCHAR NOT NULL, theme_id INTEGER NOT NULL, reported_as INTEGER,
            label VARCHAR, size INTEGER, share DOUBLE, keywords VARCHAR[], keyword_weights DOUBLE[],
            PRIMARY KEY (run_id, theme_id))""",
        'CREATE TABLE assignments (run_id VARCHAR NOT NULL, "row" INTEGER, record_id VARCHAR, theme_id INTEGER)',
    ],
    [  # 2: run windows and matching
        "ALTER TABLE runs ADD COLUMN since DATE",
        "ALTER TABLE runs ADD COLUMN until DATE",
        "ALTER TABLE runs ADD COLUMN previous_run_id VARCHAR",
        "ALTER TABLE themes ADD COLUMN status VARCHAR DEFAULT ''",
        "ALTER TABLE themes ADD COLUMN centroid_terms VARCHAR[]",
        "ALTER TABLE themes ADD COLUMN centroid_weights DOUBLE[]",
    ],
    [  # 3: the number of themes auto mode chose (NULL when it was given), which the next run may keep
        "ALTER TABLE runs ADD COLUMN auto_k INTEGER",
    ],
    [  # 4: the keywords as the notes spell them (タダ for the token 只), for people reading the history
        "ALTER TABLE themes ADD COLUMN written_keywords VARCHAR[]",
    ],
    [  # 5: sub-themes, matched run to run like themes; their ids share the themes' id space
        """CREATE TABLE subthemes (
            run_id VARCHAR NOT NULL, subtheme_id INTEGER NOT NULL, theme_id INTEGER, reported_as INTEGER,
            label VARCHAR, size INTEGER, share DOUBLE, keywords VARCHAR[], keyword_weights DOUBLE[],
            status VARCHAR DEFAULT '', centroid_terms VARCHAR[], centroid_weights DOUBLE[],
            written_keywords VARCHAR[], PRIMARY KEY (run_id, subtheme_id))""",
        "ALTER TABLE assignments ADD COLUMN subtheme_id INTEGER",
    ],
]

#: The schema version this voc writes.
SCHEMA_VERSION = len(_MIGRATIONS)

_THEME_COLUMNS = [
    "theme_id", "reported_as", "label", "size", "share", "keywords", "keyword_weights", "status",
    "centroid_terms", "centroid_weights", "written_keywords",
]
_SUBTHEME_COLUMNS = [
    "subtheme_id", "theme_id", "reported_as", "label", "size", "share", "keywords", "keyword_weights", "status",
    "centroid_terms", "centroid_weights", "written_keywords",
]
_LIST_COLUMNS = ("keywords", "keyword_weights", "centroid_terms", "centroid_weights", "written_keywords")


def _lists(df: pd.DataFrame) -> pd.DataFrame:
    for col in _LIST_COLUMNS:
        df[col] = [list(v) if hasattr(v, "__len__") and not isinstance(v, str) else [] for v in df[col]]
    return df


def _utc_naive(value: Any) -> Any:
    import pandas as pd

    ts = pd.Timestamp(value)
    return (ts.tz_convert("UTC").tz_localize(None) if ts.tzinfo is not None else ts).to_pydatetime()


def check_history_path(path: str | Path) -> None:
    """Raise :class:`~voc.errors.ConfigError` (exit 2) when the history file *path* or its DuckDB
    write-ahead log (``<path>.wal``) is a symbolic link, even a dangling one: DuckDB would create
    or rewrite the file it points to."""
    from voc._lock import refuse_symlink

    path = Path(path)
    fix = "Set [history] path to the real file (or remove the link)"
    refuse_symlink(path, "the run history", fix)
    refuse_symlink(path.with_name(path.name + ".wal"), "the run history's write-ahead log", fix)


class RunStore:
    """The run history file. Use as a context manager, or call :meth:`close`.

    Parameters
    ----------
    path : str or Path
        The DuckDB file; created (with its folder) when missing.
    read_only : bool
        Open without creating or migrating (``voc history``); a missing file is an error then.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self._con: Any = None

    # -- connection ------------------------------------------------------------------------------
    def __enter__(self) -> RunStore:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def open(self, *, target_version: int = SCHEMA_VERSION) -> RunStore:
        """Open the file, creating and migrating the schema up to *target_version*."""
        import duckdb

        if self._con is not None:
            return self
        if self.read_only and not self.path.exists():
            raise ConfigError(f"no run history at {self.path}: run `voc report` first, or pass --history PATH")
        if not self.read_only:
            check_history_path(self.path)
        try:
            if not self.read_only:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._con = duckdb.connect(str(self.path), read_only=self.read_only)
        except duckdb.IOException as exc:
            raise VocError(
                f"cannot open the run history {self.path}: {exc}. If another voc run is writing it, "
                "wait for it to finish; otherwise set [history] path to a writable file"
            ) from exc
        except (duckdb.Error, OSError) as exc:
            raise VocError(f"cannot open the run history {self.path}: {exc}") from exc
        if not self.read_only:
            self._migrate(target_version)
        elif self.schema_version() > SCHEMA_VERSION:
            raise VocError(f"run history {self.path} has schema version {self.schema_version()}, newer than this voc")
        return self

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    @property
    def con(self) -> Any:
        if self._con is None:
            self.open()
        return self._con

    def schema_version(self) -> int:
        """The schema version of the file (0 when empty)."""
        has = self._con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
        ).fetchone()[0]
        if not has:
            return 0
        value = self._con.execute("SELECT max(version) FROM schema_version").fetchone()[0]
        return int(value or 0)

    def _migrate(self, target: int) -> None:
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise VocError(
                f"run history {self.path} has schema version {current}, newer than this voc ({SCHEMA_VERSION}); "
                "upgrade voc or point [history] path to another file"
            )
        for version in range(current + 1, target + 1):
            log.info("run history %s: migrating schema to version %d", self.path, version)
            self._con.execute("BEGIN TRANSACTION")
            try:
                for statement in _MIGRATIONS[version - 1]:
                    self._con.execute(statement)
                self._con.execute("INSERT INTO schema_version VALUES (?, now()::TIMESTAMP)", [version])
                self._con.execute("COMMIT")
            except Exception:
                self._con.execute("ROLLBACK")
                raise

    # -- writing ---------------------------------------------------------------------------------
    def record_run(self, run: dict[str, Any], themes: pd.DataFrame, assignments: pd.DataFrame,
                   subthemes: pd.DataFrame | None = None) -> None:
        """Add one run, its themes, sub-themes and assignments in a single transaction.

        *run* needs ``run_id``, ``created_at`` (ISO text or datetime), ``input_path``,
        ``input_checksum``, ``config`` (dict), ``n_read``, ``n_kept``, ``n_rejected``, ``n_themes``,
        ``n_unassigned``, ``voc_version`` and may have ``since``, ``until``, ``previous_run_id``,
        ``auto_k`` (the number of themes auto mode chose).
        *themes* needs the columns of :meth:`themes` (missing optional ones are filled);
        *assignments* needs ``row``, ``theme_id`` and optionally ``record_id`` and ``subtheme_id``;
        *subthemes* the columns of :meth:`subthemes` (``subtheme_id``, ``theme_id`` and the signature).
        """
        import pandas as pd

        con = self.con
        values = [
            run["run_id"], _utc_naive(run["created_at"]),
            run.get("input_path"), run.get("input_checksum"), json.dumps(run.get("config", {}), ensure_ascii=False),
            run.get("n_read"), run.get("n_kept"), run.get("n_rejected"), run.get("n_themes"), run.get("n_unassigned"),
            run.get("voc_version"), run.get("since") or None, run.get("until") or None, run.get("previous_run_id") or None,
            run.get("auto_k"),
        ]
        th = themes.copy()
        th.insert(0, "run_id", run["run_id"])
        for col, default in (("reported_as", None), ("status", ""), ("keyword_weights", None),
                             ("centroid_terms", None), ("centroid_weights", None),
                             ("written_keywords", None)):
            if col not in th:
                th[col] = th["theme_id"] if col == "reported_as" else default
        th = th[["run_id", *_THEME_COLUMNS]]
        asg = pd.DataFrame({
            "run_id": run["run_id"],
            "row": assignments["row"].astype("int64").to_numpy(),
            "record_id": assignments["record_id"].astype(str).to_numpy() if "record_id" in assignments else None,
            "theme_id": assignments["theme_id"].astype("int64").to_numpy(),
            "subtheme_id": (assignments["subtheme_id"].astype("int64").to_numpy() if "subtheme_id" in assignments
                            else None),
        })
        sub = None
        if subthemes is not None and len(subthemes):
            sub = subthemes.copy()
            sub.insert(0, "run_id", run["run_id"])
            for col, default in (("reported_as", None), ("status", ""), ("keyword_weights", None),
                                 ("centroid_terms", None), ("centroid_weights", None), ("written_keywords", None)):
                if col not in sub:
                    sub[col] = sub["subtheme_id"] if col == "reported_as" else default
            sub = sub[["run_id", *_SUBTHEME_COLUMNS]]
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(
                "INSERT INTO runs (run_id, created_at, input_path, input_checksum, config, n_read, n_kept, n_rejected, "
                "n_themes, n_unassigned, voc_version, since, until, previous_run_id, auto_k) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )
            con.register("_voc_themes", th)
            con.execute(f"INSERT INTO themes (run_id, {', '.join(_THEME_COLUMNS)}) SELECT * FROM _voc_themes")
            con.register("_voc_assign", asg)
            con.execute('INSERT INTO assignments (run_id, "row", record_id, theme_id, subtheme_id) '
                        "SELECT * FROM _voc_assign")
            if sub is not None:
                con.register("_voc_subthemes", sub)
                con.execute(f"INSERT INTO subthemes (run_id, {', '.join(_SUBTHEME_COLUMNS)}) SELECT * FROM _voc_subthemes")
            con.execute("COMMIT")
        except Exception as exc:
            con.execute("ROLLBACK")
            raise VocError(f"cannot record run {run['run_id']} in {self.path}: {exc}") from exc
        finally:
            for name in ("_voc_themes", "_voc_assign", "_voc_subthemes"):
                try:
                    con.unregister(name)
                except Exception:  # noqa: BLE001 - not registered when the insert failed early
                    pass

    # -- reading ---------------------------------------------------------------------------------
    def runs(self) -> pd.DataFrame:
        """All runs, oldest first (every column of ``runs``; ``config`` as JSON text)."""
        return self.con.execute("SELECT * FROM runs ORDER BY created_at, run_id").df()

    def latest_run(self) -> dict[str, Any] | None:
        """The most recent run as a dict, or ``None`` when the history is empty."""
        df = self.con.execute("SELECT * FROM runs ORDER BY created_at DESC, run_id DESC LIMIT 1").df()
        return None if df.empty else df.iloc[0].to_dict()

    def themes(self, run_id: str) -> pd.DataFrame:
        """Themes of *run_id*: ``theme_id``, ``reported_as``, ``label``, ``size``, ``share``,
        ``keywords`` (tokens, as matching uses them), ``keyword_weights``, ``status``, ``centroid_terms``,
        ``centroid_weights``, ``written_keywords`` (the same keywords as the notes spell them; empty
        for runs recorded before schema version 4)."""
        cols = ", ".join(_THEME_COLUMNS)
        df = self.con.execute(f"SELECT {cols} FROM themes WHERE run_id = ? ORDER BY theme_id", [run_id]).df()
        return _lists(df)

    def subthemes(self, run_id: str) -> pd.DataFrame:
        """Sub-themes of *run_id* (schema 5; none for older runs): ``subtheme_id``, ``theme_id`` (the
        reported theme it belongs to), ``reported_as`` (the sub-theme it is reported under after the
        taxonomy's merges), ``label``, ``size``, ``share`` (of the theme), the signature columns of
        :meth:`themes` and ``status``."""
        cols = ", ".join(_SUBTHEME_COLUMNS)
        df = self.con.execute(
            f"SELECT {cols} FROM subthemes WHERE run_id = ? ORDER BY theme_id, subtheme_id", [run_id]).df()
        return _lists(df)

    def assignments(self, run_id: str) -> pd.DataFrame:
        """Assignments of *run_id*: ``row``, ``record_id``, ``theme_id``, ``subtheme_id`` (-1 or
        empty: none)."""
        return self.con.execute(
            'SELECT "row", record_id, theme_id, subtheme_id FROM assignments WHERE run_id = ? ORDER BY "row"', [run_id]
        ).df()

    def max_theme_id(self) -> int:
        """The largest theme or sub-theme id ever used (0 when none): new ones get ids above it."""
        value = self.con.execute(
            "SELECT greatest((SELECT max(greatest(theme_id, coalesce(reported_as, 0))) FROM themes),"
            " (SELECT max(greatest(subtheme_id, coalesce(reported_as, 0))) FROM subthemes))"
        ).fetchone()[0]
        return int(value or 0)

    def theme_shares(self) -> pd.DataFrame:
        """Reported size and share of every theme in every run, for trends across runs:
        ``run_id``, ``created_at``, ``theme_id`` (reported id), ``label``, ``size``, ``share``."""
        return self.con.execute(
            """SELECT t.run_id, r.created_at, t.reported_as AS theme_id,
                      arg_max(t.label, t.size) AS label, sum(t.size)::INTEGER AS size, sum(t.share) AS share
               FROM themes t JOIN runs r USING (run_id)
               GROUP BY t.run_id, r.created_at, t.reported_as
               ORDER BY r.created_at, t.run_id, theme_id"""
        ).df()

    def summary(self) -> pd.DataFrame:
        """One line per run for ``voc history``: ``run_id``, ``created_at_utc``, ``since``, ``until``,
        ``n_read``, ``n_kept``, ``n_themes``, ``auto_k`` (the number of themes auto mode chose, empty
        when it was given), ``n_new`` (themes new that run), ``input_checksum`` (first 12 hex
        digits), ``voc_version``; oldest first."""
        return self.con.execute(
            """SELECT r.run_id, strftime(r.created_at, '%Y-%m-%d %H:%M:%S') AS created_at_utc,
                      coalesce(CAST(r.since AS VARCHAR), '') AS since, coalesce(CAST(r.until AS VARCHAR), '') AS until,
                      r.n_read, r.n_kept, r.n_themes, coalesce(CAST(r.auto_k AS VARCHAR), '') AS auto_k,
                      (SELECT count(*) FROM themes t WHERE t.run_id = r.run_id AND t.status = '新規') AS n_new,
                      substr(replace(r.input_checksum, 'sha256:', ''), 1, 12) AS input_checksum, r.voc_version
               FROM runs r ORDER BY r.created_at, r.run_id"""
        ).df()

    def resolve_run(self, run: str) -> str:
        """*run* as a run id: ``"latest"``, a full id, or a unique prefix of one.

        Raises
        ------
        ConfigError
            (exit 2) when *run* matches no run or several.
        VocError
            When the history has no runs yet.
        """
        ids = self.con.execute("SELECT run_id FROM runs ORDER BY created_at, run_id").df()["run_id"].tolist()
        if not ids:
            raise VocError(f"run history {self.path} has no runs yet")
        if run == "latest":
            return ids[-1]
        hits = [i for i in ids if i == run] or [i for i in ids if i.startswith(run)]
        if len(hits) != 1:
            what = "matches no run" if not hits else f"matches {len(hits)} runs"
            raise ConfigError(f"run {run!r} {what} in {self.path}; `voc history` lists the run ids")
        return hits[0]
