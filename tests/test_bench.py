"""The benchmark's estimators (bench/ is measured, not asserted on; these check the arithmetic)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bench._tokenizer import _block_minimum, _each

ROOT = Path(__file__).resolve().parents[1]


def test_block_minimum_discards_a_burst_in_one_round() -> None:
    calls = {"n": 0}

    def steady(text: str) -> None:
        time.sleep(0.001)

    def hit_by_a_burst(text: str) -> None:
        calls["n"] += 1
        time.sleep(0.001 + (0.05 if calls["n"] == 1 else 0.0))  # the first call of round 0 is slow

    texts = ["a"] * 6
    best = _block_minimum({"steady": _each(steady), "burst": _each(hit_by_a_burst)}, texts, rounds=3, block_size=2)
    assert calls["n"] == 18  # every text, every round
    assert best["steady"] >= 0.006 and best["burst"] >= 0.006  # never faster than the work itself
    assert best["burst"] < 0.006 + 0.04  # the 50 ms burst of round 0 is not in the sum


def test_block_minimum_keeps_a_real_difference() -> None:
    def fast(text: str) -> None:
        time.sleep(0.001)

    def slow(text: str) -> None:
        time.sleep(0.004)

    best = _block_minimum({"fast": _each(fast), "slow": _each(slow)}, ["x"] * 4, rounds=2, block_size=2)
    assert best["slow"] > best["fast"] + 0.008


def _res(e2e, naive):
    machine = {"cpu": "test", "cores": 2, "ram_gb": 24, "python": "3.11", "load_before": "0", "load_after": "0"}
    return {"started": "now", "command": "python -m bench", "machine": machine, "e2e": e2e, "naive": naive}


def _voc(size, run, seed, wall, nmi):
    return {"size": size, "run": run, "seed": seed, "wall_s": wall, "peak_rss_mb": 700.0, "texts": 9169,
            "n_themes": 40, "nmi": nmi, "stages": {"clean": 1.0, "themes": 5.0}}


def _naive(size, run, wall, nmi):
    return {"size": size, "run": run, "wall_s": wall, "peak_rss_mb": 800.0, "n_themes": 100, "outliers": 1000, "nmi": nmi}


def _comparison_row(md: str, size: str) -> list[str]:
    table = md.split("## Against the naive")[1]
    row = next(line for line in table.splitlines() if line.startswith(f"| {size} |"))
    return [c.strip() for c in row.strip("|").split("|")]


def test_report_compares_one_run_each() -> None:
    from bench._report import markdown

    md = markdown(_res([_voc(10_000, 1, 42, 18.0, 0.1376)], [_naive(10_000, 1, 88.0, 0.1381)]))
    row = _comparison_row(md, "10,000")
    assert row[1] == "88.0" and row[5] == "18.0" and row[7].startswith("**4.9×**") and row[8] == "**no**"
    assert "seed |" not in md  # one run: the table keeps its usual columns


def test_report_compares_the_means_of_repeated_runs() -> None:
    """With --repeats the verdicts use the means: seed 42 alone would beat the naive NMI here."""
    from bench._report import markdown

    voc = [_voc(10_000, 1, 42, 16.0, 0.150), _voc(10_000, 2, 0, 20.0, 0.110), _voc(10_000, 3, 1, 18.0, 0.118)]
    naive = [_naive(10_000, 1, 95.0, 0.140), _naive(10_000, 2, 85.0, 0.144)]
    md = markdown(_res(voc, naive))
    row = _comparison_row(md, "10,000")
    assert row[1] == "90.0 (85.0–95.0)" and row[4] == "0.142 (0.140–0.144)"
    assert row[5] == "18.0 (16.0–20.0)" and row[6] == "0.126 (0.110–0.150)"
    assert row[7].startswith("**5.0×**") and row[8] == "**no**"
    assert "| 10,000 | 42 | 9,169 |" in md and "mean (range) of 3 runs" in md


def test_each_voc_run_starts_from_an_empty_history(tmp_path, monkeypatch) -> None:
    # with a history, auto mode keeps the previous run's k: the benchmark's repeats must not see it
    import bench._e2e as e2e

    work = tmp_path / "voc_10"
    work.mkdir()
    (work / "history.duckdb").write_bytes(b"an earlier run")
    (work / "history.duckdb.wal").write_bytes(b"")
    seen = {}

    def fake_run(cmd, **kwargs):
        seen["left"] = sorted(p.name for p in work.glob("history.duckdb*"))
        raise RuntimeError("stop here")

    monkeypatch.setattr(e2e, "run", fake_run)
    with pytest.raises(RuntimeError, match="stop here"):
        e2e.run_voc(tmp_path / "export.csv", tmp_path / "truth.csv", work)
    assert seen == {"left": []}


def test_oracle_starts_from_the_labels_and_leaves_out_rare_ones(tmp_path, capsys) -> None:
    # bench.oracle on 400 real lost reasons of the sample corpus, with a rare label added: every
    # row of the table is printed for the seed, the rare label and its texts are left out (started
    # from a label of three texts EM would stop at once), and the objectives are ordered as they
    # must be.
    import pandas as pd

    from bench import oracle
    from tests.conftest import SAMPLE_CSV, SAMPLE_TRUTH

    data = pd.read_csv(SAMPLE_CSV, dtype=str, keep_default_na=False)
    truth = pd.read_csv(SAMPLE_TRUTH, dtype=str, keep_default_na=False)
    rows = (truth.lost_reason_theme2 == "") & ~truth.lost_reason_theme.isin(["none", ""])
    frame = pd.DataFrame({"text": data.lost_reason[rows], "label": truth.lost_reason_theme[rows]}).head(400)
    big = frame.label.value_counts()
    frame = frame[frame.label.isin(big[big >= 30].index)]
    rare = pd.DataFrame({"text": ["ISMS認証がないため不可", "監査ログが取れない", "SSO非対応でNG"], "label": "rare"})
    path = tmp_path / "labeled.csv"
    pd.concat([frame, rare]).to_csv(path, index=False)
    oracle.main([str(path), "--text-column", "text", "--label-column", "label", "--seeds", "0", "--restarts", "2"])
    out = capsys.readouterr().out
    k = frame.label.nunique()
    assert f"{len(frame):,} texts, k = {k} labels (left out: 1 labels under 30 texts)" in out
    table = {
        r.split("|")[2].strip(): [c.strip() for c in r.strip("|").split("|")]
        for r in out.splitlines()
        if r.startswith("| 0 |")
    }
    assert set(table) == {
        "voc (consensus-em)", "the labels (their own parameters)", "EM started from the labels",
        "best objective of voc and EM from 2 k-means starts", "k-means (n_init 10)",
        "k-means started from the labels' centroids",
    }
    voc_nmi, em_nmi = float(table["voc (consensus-em)"][2]), float(table["EM started from the labels"][2])
    assert 0 < voc_nmi < 1 and 0 < em_nmi < 1
    # the search row keeps the best objective, so it is never below voc's
    best = float(table["best objective of voc and EM from 2 k-means starts"][4])
    assert best >= float(table["voc (consensus-em)"][4])
    # EM from the labels climbs from the labels' own parameters
    assert float(table["EM started from the labels"][4]) > float(table["the labels (their own parameters)"][4])


def test_voc_options_reach_the_config_and_the_report(tmp_path) -> None:
    from bench.__main__ import _options
    from bench._e2e import write_config
    from bench._report import markdown

    opts = _options(["n_themes=60", "clustering=kmeans", "kappa=2.5"])
    assert opts == {"n_themes": 60, "clustering": "kmeans", "kappa": 2.5}
    cfg = write_config(tmp_path / "voc.toml", tmp_path / "x.csv", tmp_path / "out", {**opts, "seed": 0})
    import tomllib

    model = tomllib.loads(cfg.read_text(encoding="utf-8"))["model"]
    assert model == {"n_themes": 60, "seed": 0, "clustering": "kmeans", "kappa": 2.5}
    res = _res([_voc(10_000, 1, 42, 18.0, 0.25)], [])
    assert "themes = auto, default config" in markdown(res)
    md = markdown({**res, "voc_options": opts})
    assert "config [model] n_themes = 60, clustering = 'kmeans'" in md and "default config" not in md
    for bad in (["n_themes"], ["=3"], ["seed=1"]):
        with pytest.raises(ValueError):
            _options(bad)


def test_naive_tokenizer_cuts_long_strings_at_spaces() -> None:
    # fugashi segfaulted on BERTopic's joined topic strings of 100k call notes: the reference cuts
    # them, at spaces (BERTopic's separator), so no token changes
    from bench._naive import MAX_PIECE, _pieces

    text = "予算は未定 稟議が長い " * (MAX_PIECE // 5)
    pieces = _pieces(text)
    assert "".join(pieces) == text and len(pieces) > 2
    assert all(len(p) <= MAX_PIECE and p.endswith(" ") for p in pieces[:-1])
    assert _pieces("短い メモ") == ["短い メモ"]
    solid = "あ" * (2 * MAX_PIECE + 1)  # no space to cut at: cut at the length
    assert "".join(_pieces(solid)) == solid and len(_pieces(solid)) == 3


def test_the_clean_column_says_it_includes_tokenizing_when_there_is_no_tokenize_stage() -> None:
    from bench._report import markdown

    md = markdown(_res([_voc(10_000, 1, 42, 18.0, 0.25)], []))
    assert "| clean (with tokenize) |" in md and "| tokenize |" not in md
    older = _voc(10_000, 1, 42, 18.0, 0.25)
    older["stages"] = {"clean": 1.0, "tokenize": 0.7, "themes": 5.0}
    md = markdown(_res([older], []))
    assert "| clean | tokenize |" in md


def test_voc_options_reach_every_voc_run(tmp_path, monkeypatch) -> None:
    import bench._data as data
    import bench._e2e as e2e
    from bench.__main__ import main

    seen = []
    monkeypatch.setattr(data, "export", lambda size, seed, cache, distinct=False: (tmp_path / "x.csv", tmp_path / "x.truth.csv"))

    def fake_run_voc(export, truth, work, extra=None, timeout=None, env=None):
        seen.append(extra)
        return {"wall_s": 1.0, "peak_rss_mb": 1.0, "rows": 10, "texts": 10, "n_themes": 60, "stages": {}, "nmi": 0.5,
                "nmi_rows": 10}

    monkeypatch.setattr(e2e, "run_voc", fake_run_voc)
    argv = ["--sizes", "10", "--naive-sizes", "", "--tokenizer-texts", "0", "--repeats", "2", "--out", str(tmp_path),
            "--voc-option", "n_themes=60", "--voc-option", "clustering=kmeans"]
    assert main(argv) == 0
    assert seen == [{"n_themes": 60, "clustering": "kmeans", "seed": 42}, {"n_themes": 60, "clustering": "kmeans", "seed": 0}]
    assert "config [model] n_themes = 60" in (tmp_path / "latest.md").read_text(encoding="utf-8")


def test_baseline_src_runs_the_other_tree_after_each_voc_run(tmp_path, monkeypatch) -> None:
    """--baseline-src: the same export and seed through the other source tree, right after each voc
    run; the table gives the ratio of the means and whether assignments.csv is byte-identical."""
    import bench._data as data
    import bench._e2e as e2e
    from bench.__main__ import main

    base = tmp_path / "base"
    (base / "voc").mkdir(parents=True)
    (base / "voc" / "__init__.py").write_text("", encoding="utf-8")
    calls = []
    monkeypatch.setattr(data, "export", lambda size, seed, cache, distinct=False: (tmp_path / "x.csv", tmp_path / "x.truth.csv"))

    def fake_run_voc(export, truth, work, extra=None, timeout=None, env=None, src=None):
        calls.append((extra["seed"], src))
        wall = 2.0 if src is None else 4.0
        digest = "a" if src is None or extra["seed"] == 42 else "b"  # the second seed differs
        return {"wall_s": wall, "peak_rss_mb": 1.0, "peak_pss_mb": 512.0 if src is None else 1024.0, "rows": 10,
                "texts": 10, "n_themes": 6, "stages": {}, "nmi": 0.5, "nmi_rows": 10, "assignments_sha256": digest}

    monkeypatch.setattr(e2e, "run_voc", fake_run_voc)
    argv = ["--sizes", "10", "--naive-sizes", "", "--tokenizer-texts", "0", "--repeats", "2", "--out", str(tmp_path),
            "--baseline-src", str(base)]
    assert main(argv) == 0
    assert calls == [(42, None), (42, base), (0, None), (0, base)]
    md = (tmp_path / "latest.md").read_text(encoding="utf-8")
    row = next(line for line in md.split("## Before and after")[1].splitlines() if line.startswith("| 10 |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[3] == "**0.50**" and cells[6:9] == ["0.50", "1.00", "no"]


def test_baseline_src_must_be_a_voc_tree(tmp_path) -> None:
    from bench.__main__ import main

    with pytest.raises(SystemExit):
        main(["--only", "e2e", "--baseline-src", str(tmp_path)])


def test_subtheme_oracle_splits_the_gold_groups(shared_data, tmp_path, capsys) -> None:
    # bench.subtheme_oracle on 400 ASDC meal requests: one row per seed, the pairs of the split gold
    # groups scored against the leaves, next to the gold groups alone
    import pandas as pd

    from bench import subtheme_oracle

    source = shared_data / "asdc_food_subtopics.csv"
    if not source.exists():
        pytest.skip(f"{source} not found (the shared corpora predate it)")
    path = tmp_path / "sub.csv"
    pd.read_csv(source).sample(n=400, random_state=0).to_csv(path, index=False)
    subtheme_oracle.main([str(path), "--text-column", "text", "--label-column", "top", "--sublabel-column", "label",
                          "--seeds", "0"])
    out = capsys.readouterr().out
    assert "400 texts, " in out and " leaves" in out
    row = [r for r in out.splitlines() if r.startswith("| 0 |")]
    assert len(row) == 1
    split, alone = (c.strip() for c in row[0].strip("|").split("|")[1:])
    nmi, ari, pairs = (float(v) for v in split.split(" / "))
    assert 0 <= nmi <= 1 and -1 <= ari <= 1 and pairs >= 2
    assert 0 <= float(alone.split(" / ")[0]) <= 1


def test_memory_growth_per_run_is_what_runs_after_the_first_kept() -> None:
    from bench.memory import growth_per_run

    assert growth_per_run([600.0, 610.0, 640.0]) == 20.0  # (640 - 600) / 2: run 1's set-up not counted
    assert growth_per_run([600.0]) == 0.0


def test_pytest_rss_lines_are_the_ones_bench_test_memory_reads() -> None:
    import subprocess
    import sys
    from pathlib import Path

    from bench.test_memory import _LINE

    root = Path(__file__).resolve().parents[1]
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rss", "tests/test_bench.py", "-k", "block_minimum"]
    out = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=300).stdout
    lines = [m for m in map(_LINE.match, out.splitlines()) if m]
    assert len(lines) == 1 and lines[0][4] == "tests/test_bench.py", out
    assert int(lines[0][3]) >= int(lines[0][2]) > 0  # peak >= after


def test_peak_pss_counts_a_page_shared_with_a_forked_worker_once() -> None:
    """A parent holding 200 MB and a forked child reading all of it: the RSS sum counts the pages
    twice, the PSS sum once (and not less)."""
    import sys

    from bench._measure import run

    code = ("import os, time\n"
            "data = bytearray(os.urandom(1 << 20)) * 200\n"  # 200 MB, every page written
            "pid = os.fork()\n"
            "if pid == 0:\n"
            "    total = sum(data[::4096]); time.sleep(1.5); os._exit(0)\n"
            "time.sleep(1.5); os.waitpid(pid, 0)\n")
    r = run([sys.executable, "-c", code])
    assert r.returncode == 0, r.stderr
    assert r.peak_rss_mb > 380, r.peak_rss_mb
    assert 190 < r.peak_pss_mb < 0.7 * r.peak_rss_mb, (r.peak_pss_mb, r.peak_rss_mb)


def test_baseline_voc_options_reach_only_the_baseline_runs(tmp_path, monkeypatch) -> None:
    """`--baseline-src . --baseline-voc-option units.unit=row`: the same tree by rows after each run
    by statements, and the report says which options the baseline ran with."""
    from bench import _e2e
    from bench.__main__ import main

    calls = []

    def fake_run_voc(export, truth, work, extra=None, timeout=None, env=None, src=None):
        calls.append((src is not None, extra.get("units.unit")))
        return {"wall_s": 1.0, "peak_rss_mb": 1.0, "rows": 10, "texts": 10, "n_themes": 6, "stages": {},
                "nmi": 0.5, "nmi_rows": 10, "assignments_sha256": "a"}

    monkeypatch.setattr(_e2e, "run_voc", fake_run_voc)
    argv = ["--sizes", "10", "--naive-sizes", "", "--tokenizer-texts", "0", "--out", str(tmp_path),
            "--baseline-src", str(ROOT), "--baseline-voc-option", "units.unit=row"]
    assert main(argv) == 0
    assert calls == [(False, None), (True, "row")]
    assert "Baseline options: units.unit = 'row'" in (tmp_path / "latest.md").read_text(encoding="utf-8")


def test_distinct_statements_marks_each_statement_and_keeps_the_splits() -> None:
    """--distinct-statements: every statement gets its own mark, and the note splits as before."""
    from bench._data import distinct_statements
    from voc.statements import split_statements

    note = ("【11/8 MTG】\n●先方は課長と若手2名。\n価格が高い。価格が高い。\n"
            "Web問い合わせから初回面談.  現場リーダー3名が参加.  来週中に見積送付.")
    marked = distinct_statements(note, "12c")
    before, after = split_statements(note), split_statements(marked)
    assert len(after) == len(before) == 7
    assert len({s.text for s in after}) == 7 and len({s.text for s in before}) == 6
    assert all(a.text.startswith(b.text.rstrip("。.】")) for a, b in zip(after, before, strict=True))
