"""Every [input] setting from the command line (the outcome words, the header row), and `voc inspect`."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from click.testing import CliRunner

from voc.cli import cli
from voc.config import InputConfig


def test_every_input_key_has_a_report_option() -> None:
    """The issue's list by name, and every other key of [input]: a key without an option fails here."""
    from voc._cli_options import option_names

    names = option_names()
    help_text = " ".join(CliRunner().invoke(cli, ["report", "--help"]).output.split())
    for key in [f.name for f in dataclasses.fields(InputConfig)]:
        name = names[f"input.{key}"]
        assert name == "INPUT" or f"{name} " in help_text, f"[input] {key} has no `voc report` option"
    for option in ("--date-column", "--outcome-column", "--segment-column", "--competitor-column", "--won-value",
                   "--lost-value", "--open-value", "--sheet", "--header-row", "--encoding", "--since", "--until"):
        assert f"{option} " in help_text


def test_input_options_reach_the_config(monkeypatch, tmp_path: Path) -> None:
    import voc.pipeline

    seen = {}

    def fake_run_report(config, progress=False):
        seen["config"] = config
        raise SystemExit(0)

    monkeypatch.setattr(voc.pipeline, "run_report", fake_run_report)
    args = ["report", "x.csv", "--text-column", "メモ", "--won-value", "成約", "--won-value", "契約締結",
            "--lost-value", "他社決定", "--open-value", "保留", "--header-row", "3", "--encoding", "cp932",
            "--out", str(tmp_path / "o")]
    CliRunner().invoke(cli, args)
    c = seen["config"].input
    assert (c.won_values, c.lost_values, c.open_values) == (["成約", "契約締結"], ["他社決定"], ["保留"])
    assert (c.header_row, c.encoding) == (3, "cp932")
    bad = CliRunner().invoke(cli, ["report", "x.csv", "--text-column", "a", "--header-row", "0"])
    assert bad.exit_code == 2 and "header_row" in bad.output


def _export(tmp_path: Path) -> Path:
    path = tmp_path / "export.csv"
    rows = [f"{i},{'受注' if i % 2 else '失注'},価格が高いとのこと、次回は見積を再提示。{i}回目の訪問。" for i in range(30)]
    path.write_text("取引レポート\n\nID,結果,メモ\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_inspect_prints_in_both_languages_and_writes_a_config(tmp_path: Path) -> None:
    path = _export(tmp_path)
    ja = CliRunner().invoke(cli, ["inspect", str(path), "--lang", "ja"])
    en = CliRunner().invoke(cli, ["inspect", str(path), "--lang", "en"])
    assert ja.exit_code == en.exit_code == 0
    assert "見出し行 3" in ja.output and "受注・失注の値 結果" in ja.output
    assert "header on row 3" in en.output and "Outcome values of 結果" in en.output
    config = tmp_path / "voc.toml"
    result = CliRunner().invoke(cli, ["inspect", str(path), "--write-config", str(config)])
    assert result.exit_code == 0 and config.exists() and "voc report --config" in result.output
    again = CliRunner().invoke(cli, ["inspect", str(path), "--write-config", str(config)])
    assert again.exit_code == 2 and "--force" in again.output  # an existing config is not overwritten
    assert CliRunner().invoke(cli, ["inspect", str(path), "--write-config", str(config), "--force"]).exit_code == 0


def test_inspect_bad_input_exits_2_naming_the_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["inspect", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2 and "nope.csv" in result.output and "does not exist" in result.output
    result = CliRunner().invoke(cli, ["inspect", str(_export(tmp_path)), "--header-row", "99"])
    assert result.exit_code == 2 and "header_row is 99" in result.output


def test_readme_starts_your_own_export_with_inspect() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Your own export", 1)[1]
    commands = [line for line in section.splitlines() if line.startswith(".venv/bin/voc")]
    assert commands[0].startswith(".venv/bin/voc inspect ") and "--write-config voc.toml" in commands[0]
    assert commands[1].startswith(".venv/bin/voc check --config voc.toml")  # what a report would read, first
    assert commands[2].startswith(".venv/bin/voc report --config voc.toml")


def test_too_few_texts_with_content_words_names_the_file_and_column(tmp_path):
    """The theme stage works on texts, not files: its 'too few texts' error is located by the
    pipeline (file and text column), exit 2."""
    import csv

    from voc.cli import cli

    path = tmp_path / "few.csv"
    fill = ["それで、ね", "ええと、その", "あの、まあ", "うーん、で", "まあ、あれ", "それは、ね", "ええ、それ"]
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["id", "text"], *enumerate(["価格が高い", "導入が難しい", "サポートが遅い",
                                                             "機能が足りない", "画面が見づらい", *fill])])
    result = CliRunner().invoke(cli, ["report", str(path), "--text-column", "text", "--out", str(tmp_path / "out"),
                                      "--no-history"])
    assert result.exit_code == 2, result.output
    assert f"file {path}, column 'text': only 5 texts have content words" in " ".join(result.output.split())
