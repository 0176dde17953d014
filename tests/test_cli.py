"""The CLI contract, end to end on the sample corpus, through the installed `voc` script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from sklearn.metrics import adjusted_rand_score

from voc.cli import cli

from .conftest import SAMPLE_CSV, SAMPLE_TRUTH

VOC = shutil.which("voc", path=str(Path(sys.executable).parent)) or "voc"
PLANTED_K = 11  # themes planted by corpus/generate.py (see corpus/README.md)


def run_voc(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    return subprocess.run([VOC, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=600)


def test_every_command_has_help_with_an_example():
    runner = CliRunner()
    for name in cli.commands:
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example:" in result.output, f"`voc {name} --help` has no example"


def test_version():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and "voc" in result.output


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """The same planted-k report twice, in two processes: one theme per lost reason (``--unit row``:
    the planted themes are one per row; statement units are measured by bench.sample_themes)."""
    outs = []
    for name in ("a", "b"):
        out = tmp_path_factory.mktemp("cli") / name
        proc = run_voc(
            "-q", "report", str(SAMPLE_CSV), "--text-column", "lost_reason", "--id-column", "deal_id",
            "--n-themes", str(PLANTED_K), "--seed", "42", "--out", str(out), "--unit", "row",
        )
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip() == str(out / "index.html")
        outs.append(out)
    return outs


def test_report_writes_every_file(two_runs):
    out = two_runs[0]
    for name in ("index.html", "summary.md", "themes.csv", "subthemes.csv", "assignments.csv", "rejected.csv", "run.json"):
        assert (out / name).is_file(), name
    themes = pd.read_csv(out / "themes.csv")
    assert list(themes.columns[:6]) == ["theme_id", "label", "size", "share", "keywords", "quotes"]
    assert len(themes) == PLANTED_K
    assert "テーマ" in (out / "index.html").read_text(encoding="utf-8")


def test_every_row_is_assigned_or_rejected_with_a_reason(two_runs):
    out = two_runs[0]
    n_rows = len(pd.read_csv(SAMPLE_CSV, dtype=str, keep_default_na=False))
    assign = pd.read_csv(out / "assignments.csv", dtype={"deal_id": str})
    rejected = pd.read_csv(out / "rejected.csv", dtype=str, keep_default_na=False)
    assert list(assign.columns) == ["row", "deal_id", "theme_id", "theme_label", "subtheme_id", "subtheme_label"]
    rows = sorted(assign["row"].tolist() + rejected["row"].astype(int).tolist())
    assert rows == list(range(n_rows))
    assert (rejected["reason"] != "").all()
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["rows"]["read"] == n_rows
    assert run["rows"]["kept"] == len(assign)
    assert run["rows"]["rejected"] == len(rejected) == sum(run["rows"]["rejected_by_reason"].values())
    assert run["input"]["checksum"].startswith("sha256:")
    # the clean stage tokenizes too (one MeCab parse per note serves name masking and tokens)
    assert {"read", "clean", "embed", "themes", "insights", "render", "history"} <= set(run["timings_s"])
    # won and open deals have no 失注理由; non-answers such as 特になし are rejected as such
    assert run["rows"]["rejected_by_reason"]["non_answer"] > 0


def test_run_json_records_the_auto_k_choice(sample_report, two_runs):
    """Auto mode (corpus/voc.toml) records each candidate k's stability; a given k records none."""
    run = json.loads((Path(sample_report.out_dir) / "run.json").read_text(encoding="utf-8"))
    auto = run["themes"]["auto_k"]
    stability = {int(k): v for k, v in auto["stability"].items()}
    assert len(stability) > 1 and auto["chosen"] == max(stability, key=stability.get)
    assert auto["chosen"] == sample_report.model.clusterer_.n_clusters
    fixed = json.loads((two_runs[0] / "run.json").read_text(encoding="utf-8"))
    assert "auto_k" not in fixed["themes"]


def test_same_seed_gives_identical_outputs(two_runs):
    a, b = two_runs
    for name in ("assignments.csv", "themes.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


#: Regression floor, NOT the goal. The Foundation issue asks for ARI >= 0.6 against the planted themes;
#: the default pipeline (lsa+chive, consensus + tempered EM, no UMAP) measures 0.454 on this run (seed
#: 42, PII masked, 2 cores; with OMP_NUM_THREADS=1 the floating-point order changes and it gives
#: 0.467). Other seeds of the same command: 0.453, 0.454, 0.407 (seeds 0, 1, 2), so one seed's
#: figure swings by ~0.05; before the case-insensitive chiVe lookup seed 42 gave 0.448 (0.428 with one
#: thread). Hard EM measured 0.434 and plain k-means 0.416 (1 thread, before the tokenizer fix of
#: 07bd336). The floor sits 0.04 below this run's figure on either thread count, so that a platform's
#: floating-point differences do not fail it, while a real regression (plain k-means on LSA alone, or
#: the TF-IDF-only pipeline, ~0.16-0.23) does.
ARI_FLOOR = 0.41


def test_planted_themes_are_found(two_runs):
    """ARI of the themes against the generator's ground truth, on lost reasons with one planted theme."""
    assign = pd.read_csv(two_runs[0] / "assignments.csv")
    truth = pd.read_csv(SAMPLE_TRUTH, dtype=str, keep_default_na=False).astype({"row": int})
    merged = assign.merge(truth, on="row")
    single = merged[(merged["lost_reason_theme2"] == "") & (merged["lost_reason_theme"] != "none")]
    ari = adjusted_rand_score(single["lost_reason_theme"], single["theme_id"])
    print(f"ARI vs planted themes: {ari:.3f}")
    assert ari >= ARI_FLOOR


@pytest.mark.parametrize(
    "args, message",
    [
        (["report", "missing.csv", "--text-column", "lost_reason"], "does not exist"),
        (["report", str(SAMPLE_CSV), "--text-column", "lost_reasons"], "'lost_reason'"),
        (["report", str(SAMPLE_CSV)], "no text column"),
        (["report", str(SAMPLE_CSV), "--text-column", "lost_reason", "--n-themes", "one"], "n_themes"),
        (["report", "--config", "nope.toml"], "does not exist"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(args, message, tmp_path):
    result = CliRunner().invoke(cli, [*args, "--out", str(tmp_path / "out")] if args[1] != "--config" else args)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_unwritable_output_exits_1(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    texts = "\n".join(f"価格が高い{i}件目" if i % 2 else f"SSOに非対応のため見送り{i}" for i in range(40))
    src = tmp_path / "in.csv"
    src.write_text("text\n" + texts + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["report", str(src), "--text-column", "text", "--n-themes", "2",
                                      "--out", str(blocker / "out")])
    assert result.exit_code == 1, result.output
    assert "cannot" in result.output


def test_run_json_update_failure_is_only_a_warning(tmp_path, caplog, monkeypatch):
    # run.json is completed after the report is written: if that fails (disk full, read-only),
    # the run still succeeds, the first run.json stays whole and no temporary file is left.
    import errno
    import os

    from voc.pipeline import _replace_json

    from .test_record import _record

    record = _record()
    target = tmp_path / "run.json"
    target.write_text('{"first": true}\n', encoding="utf-8")

    def full(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as m, caplog.at_level("WARNING", logger="voc.pipeline"):
        m.setattr(os, "replace", full)
        _replace_json(target, record)
    assert json.loads(target.read_text(encoding="utf-8")) == {"first": True}
    assert "could not update" in caplog.text and "No space left" in caplog.text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.json"]
    _replace_json(tmp_path / "other.json", record)
    assert json.loads((tmp_path / "other.json").read_text(encoding="utf-8")) == record.to_dict()


def test_every_config_key_has_a_report_option():
    """Each key of each config section can be set from `voc report` (the options are generated
    from the config dataclasses, :mod:`voc._cli_options`); a key without an option fails here."""
    import dataclasses

    from voc._cli_options import option_names
    from voc.config import SECTIONS

    report = cli.commands["report"]
    declared = {o for p in report.params for o in [*p.opts, *p.secondary_opts]} | {
        p.metavar for p in report.params if isinstance(p, __import__("click").Argument)
    }
    names = option_names()
    for section, cls in SECTIONS.items():
        for f in dataclasses.fields(cls):
            name = names[f"{section}.{f.name}"]
            assert name.split("/")[0] in declared, f"[{section}] {f.name} has no `voc report` option"
            if name != "INPUT":
                help_text = CliRunner().invoke(cli, ["report", "--help"]).output
                assert f"[{section}] {f.name}" in " ".join(help_text.split()), f"{name}'s help does not name its key"


def test_report_options_reach_the_config(monkeypatch, tmp_path):
    """The options land in their sections, validated like the file's values."""
    import voc.pipeline

    seen = {}

    def fake_run_report(config, progress=False):
        seen["config"] = config
        raise SystemExit(0)

    monkeypatch.setattr(voc.pipeline, "run_report", fake_run_report)
    args = ["report", "x.csv", "--text-column", "a", "--text-column", "b", "--segment-column", "業種",
            "--date-column", "完了予定日", "--outcome-column", "フェーズ", "--competitor-column", "競合",
            "--sheet", "2", "--n-themes", "9", "--clustering", "kmeans", "--mask-pii", "email,phone",
            "--no-history", "--fit-sample", "0", "--out", str(tmp_path / "o")]
    CliRunner().invoke(cli, args)
    c = seen["config"]
    assert (c.input.path, c.input.text_columns, c.input.segment_columns) == ("x.csv", ["a", "b"], ["業種"])
    assert (c.input.date_column, c.input.outcome_column, c.input.competitor_column, c.input.sheet) == (
        "完了予定日", "フェーズ", "競合", 2)
    assert (c.model.n_themes, c.model.clustering, c.clean.mask_pii) == (9, "kmeans", ["email", "phone"])
    assert (c.history.enabled, c.scale.fit_sample, c.output.dir) == (False, 0, str(tmp_path / "o"))
    bad = CliRunner().invoke(cli, ["report", "x.csv", "--text-column", "a", "--n-themes", "1"])
    assert bad.exit_code == 2 and "[model] n_themes must be 'auto' or an integer ≥ 2, got '1'" in bad.output
