"""voc.history.store: the DuckDB run history (schema, persistence across processes, migration, errors)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import duckdb
import pandas as pd
import pytest

from voc.errors import ConfigError, VocError
from voc.history.store import SCHEMA_VERSION, RunStore


def _run(run_id: str, created_at: str, **extra) -> dict:
    return {
        "run_id": run_id, "created_at": created_at, "input_path": "/data/crm.csv", "input_checksum": "sha256:abcdef0123456789",
        "config": {"text_columns": ["lost_reason"], "seed": 42}, "n_read": 10, "n_kept": 8, "n_rejected": 2,
        "n_themes": 2, "n_unassigned": 1, "voc_version": "0.1.0", **extra,
    }


def _themes(ids=(1, 2), status=("", "新規")) -> pd.DataFrame:
    return pd.DataFrame({
        "theme_id": list(ids), "reported_as": list(ids), "label": ["価格・高い", "競合・NovaCRM"][: len(ids)],
        "size": [4, 3][: len(ids)], "share": [0.5, 0.375][: len(ids)],
        "keywords": [["価格", "高い"], ["NovaCRM", "無料"]][: len(ids)],
        "keyword_weights": [[0.9, 0.5], [0.8, 0.4]][: len(ids)], "status": list(status),
        "centroid_terms": [["価格", "高い", "予算"], ["NovaCRM"]][: len(ids)],
        "centroid_weights": [[0.8, 0.5, 0.33], [1.0]][: len(ids)],
    })


def _assign() -> pd.DataFrame:
    return pd.DataFrame({"row": range(8), "record_id": [f"D-{i:06d}" for i in range(8)],
                         "theme_id": [1, 1, 1, 1, 2, 2, 2, -1]})


def test_schema_is_created_and_versioned(tmp_path):
    path = tmp_path / "h" / "history.duckdb"
    with RunStore(path) as store:
        assert store.schema_version() == SCHEMA_VERSION == 5
        assert store.latest_run() is None and store.max_theme_id() == 0
    con = duckdb.connect(str(path), read_only=True)
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert tables == {"schema_version", "runs", "themes", "subthemes", "assignments"}
    assert [r[0] for r in con.execute("SELECT version FROM schema_version ORDER BY version").fetchall()] == [1, 2, 3, 4, 5]
    con.close()


def test_a_run_persists_across_processes(tmp_path):
    path = tmp_path / "history.duckdb"
    with RunStore(path) as store:
        store.record_run(_run("r1", "2026-08-31T06:00:00+09:00", until="2026-08-31"), _themes(), _assign())
    code = textwrap.dedent(f"""
        from voc.history.store import RunStore
        with RunStore({str(path)!r}, read_only=True) as s:
            r = s.latest_run()
            t = s.themes(r["run_id"])
            a = s.assignments(r["run_id"])
            print(r["run_id"], r["created_at"], str(r["until"])[:10], r["n_kept"], list(t["theme_id"]), t["keywords"][1], len(a), s.max_theme_id())
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    # created_at is stored in UTC
    assert out[:5] == ["r1", "2026-08-30", "21:00:00", "2026-08-31", "8"]
    assert " ".join(out[5:]) == "[1, 2] ['NovaCRM', '無料'] 8 2"


def test_reopen_appends_and_reads_back(tmp_path):
    path = tmp_path / "history.duckdb"
    with RunStore(path) as store:
        store.record_run(_run("r1", "2026-08-31T00:00:00Z"), _themes(), _assign())
    with RunStore(path) as store:
        store.record_run(_run("r2", "2026-09-30T00:00:00Z", previous_run_id="r1"), _themes((1, 5), ("", "新規")), _assign())
        assert store.runs()["run_id"].tolist() == ["r1", "r2"]
        assert store.latest_run()["previous_run_id"] == "r1"
        assert store.max_theme_id() == 5
        assert store.resolve_run("latest") == "r2" and store.resolve_run("r1") == "r1"
        th = store.themes("r2")
        assert th["centroid_terms"].iloc[0] == ["価格", "高い", "予算"]
        assert th["status"].tolist() == ["", "新規"]
        summary = store.summary()
        assert summary["n_new"].tolist() == [1, 1] and summary["input_checksum"].iloc[0] == "abcdef012345"
        assert summary["auto_k"].tolist() == ["", ""]  # the number of themes was given
        shares = store.theme_shares()
        assert shares[shares.theme_id == 1]["size"].tolist() == [4, 4]
        with pytest.raises(VocError, match="matches 2 runs"):
            store.resolve_run("r")


def test_a_failed_insert_leaves_nothing_behind(tmp_path):
    path = tmp_path / "history.duckdb"
    with RunStore(path) as store:
        store.record_run(_run("r1", "2026-08-31T00:00:00Z"), _themes(), _assign())
        with pytest.raises(VocError, match="cannot record run r1"):  # duplicate run id
            store.record_run(_run("r1", "2026-09-01T00:00:00Z"), _themes(), _assign())
        assert len(store.runs()) == 1
        assert len(store.assignments("r1")) == 8


def test_migration_from_version_1_keeps_the_data(tmp_path):
    path = tmp_path / "old.duckdb"
    old = RunStore(path).open(target_version=1)  # the schema voc wrote before run matching
    assert old.schema_version() == 1
    old.con.execute(
        "INSERT INTO runs VALUES ('old1', TIMESTAMP '2026-07-01 00:00:00', 'a.csv', 'sha256:00', '{}', 5, 5, 0, 1, 0, '0.0.9')"
    )
    old.con.execute("INSERT INTO themes VALUES ('old1', 7, 7, '予算・確保', 5, 1.0, ['予算'], [1.0])")
    old.con.execute("INSERT INTO assignments VALUES ('old1', 0, 'D-1', 7)")
    with pytest.raises(duckdb.Error):
        old.con.execute("SELECT centroid_terms FROM themes")
    old.close()
    with RunStore(path) as store:
        assert store.schema_version() == 5
        assert store.subthemes("old1").empty and pd.isna(store.assignments("old1").loc[0, "subtheme_id"])
        assert store.runs().loc[0, "auto_k"] is None or pd.isna(store.runs().loc[0, "auto_k"])
        th = store.themes("old1")
        assert th.loc[0, "label"] == "予算・確保" and th.loc[0, "centroid_terms"] == [] and th.loc[0, "written_keywords"] == []
        assert store.max_theme_id() == 7
        store.record_run(_run("new1", "2026-08-01T00:00:00Z", since="2026-01-01"), _themes(), _assign())
        assert store.runs()["run_id"].tolist() == ["old1", "new1"]


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "future.duckdb"
    with RunStore(path) as store:
        store.con.execute("INSERT INTO schema_version VALUES (99, now()::TIMESTAMP)")
    with pytest.raises(VocError, match="schema version 99, newer than this voc"):
        RunStore(path).open()


def test_read_only_needs_an_existing_file(tmp_path):
    with pytest.raises(ConfigError, match="no run history at"):
        RunStore(tmp_path / "none.duckdb", read_only=True).open()
    assert not (tmp_path / "none.duckdb").exists()


def test_a_second_writer_process_gets_a_clear_error(tmp_path):
    path = tmp_path / "history.duckdb"
    RunStore(path).open().close()
    holder = subprocess.Popen(
        [sys.executable, "-c", f"from voc.history.store import RunStore; s = RunStore({str(path)!r}).open(); print('ready', flush=True); input()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(VocError, match="another voc run is writing it"):
            RunStore(path).open()
    finally:
        holder.communicate("\n", timeout=60)
    RunStore(path).open().close()  # free again once the other process is gone


def test_subthemes_persist_and_share_the_id_space(tmp_path):
    """Schema 5: a run's sub-themes and each assignment's sub-theme survive a reopen in a new
    process, and new ids go above every theme and sub-theme id used."""
    import subprocess
    import sys

    path = tmp_path / "h.duckdb"
    sub = pd.DataFrame({"subtheme_id": [41, 42], "theme_id": [1, 1], "label": ["初期費用が高い", "月額が高い"],
                        "size": [3, 1], "share": [0.75, 0.25], "keywords": [["初期", "費用"], ["月額"]]})
    asg = _assign().assign(subtheme_id=[41, 41, 41, 42, -1, -1, -1, -1])
    with RunStore(path) as store:
        store.record_run(_run("r1", "2026-08-31T00:00:00Z"), _themes(), asg, sub)
    code = (f"from voc.history.store import RunStore; s = RunStore({str(path)!r}, read_only=True).open(); "
            "print(s.subthemes('r1')['label'].tolist(), s.assignments('r1')['subtheme_id'].tolist(), s.max_theme_id())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['初期費用が高い', '月額が高い'] [41, 41, 41, 42, -1, -1, -1, -1] 42"
