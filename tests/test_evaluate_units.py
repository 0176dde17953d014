"""voc evaluate on several topics per text: statements as the unit, label sets, statement gold (#27)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from click.testing import CliRunner

from voc.cli import cli
from voc.errors import ConfigError, InputError
from voc.evaluate import evaluate, evaluate_units, parse_label_sets, run_evaluate

# Two reasons per topic family, each written several ways in its own words.
_TOPICS = {
    "price": ["価格が高い", "予算オーバーで価格が合わない", "価格面で予算に合わない", "値引きしても価格が高い",
              "予算不足で費用が高い"],
    "security": ["セキュリティ要件を満たさない", "セキュリティ審査で却下された", "SSO非対応でセキュリティ要件に不適合",
                 "セキュリティ基準に不適合", "監査ログのセキュリティ要件を満たさない"],
    "support": ["サポート窓口の対応が遅い", "問い合わせへのサポート対応が遅い", "サポートの返答が遅くて不満",
                "サポート体制が弱い", "障害時のサポート対応が遅い"],
}


def _composites() -> tuple[list[str], list[str], list[tuple[int, int, int, str]]]:
    """Texts of two statements on two topics (``a|b``) and the gold offsets of each statement."""
    texts, labels, parts = [], [], []
    for (a, xs), (b, ys) in itertools.combinations(_TOPICS.items(), 2):
        for x, y in itertools.product(xs, ys[:3]):
            row = len(texts)
            texts.append(f"{x}。{y}。")
            labels.append(f"{a}|{b}")
            parts += [(row, 0, len(x) + 1, a), (row, len(x) + 1, len(x) + len(y) + 2, b)]
    return texts, labels, parts


def _write(tmp_path, texts, labels, parts=None):
    path = tmp_path / "multi.csv"
    path.write_text("text,label\n" + "".join(f"{t},{y}\n" for t, y in zip(texts, labels, strict=True)),
                    encoding="utf-8")
    if parts is None:
        return path, None
    gold = tmp_path / "multi.statements.csv"
    gold.write_text("row,start,end,label\n" + "".join(f"{r},{a},{b},{y}\n" for r, a, b, y in parts), encoding="utf-8")
    return path, gold


def test_statements_cover_more_topics_than_one_theme_per_text() -> None:
    texts, labels, parts = _composites()
    res = evaluate_units(texts, parse_label_sets(labels), unit="statement", seeds=(0,), embedding="lsa",
                         baselines=False, statements=parts)
    voc = res.means().loc["voc"]
    assert voc["one_theme_ceiling"] == pytest.approx(0.5)
    assert voc["topic_recall"] > voc["one_theme_ceiling"] + 0.2
    assert 0 < voc["topic_precision"] <= 1
    # each text is cut at its 。: every gold statement is found
    assert voc["segmentation"] == pytest.approx(1.0)
    assert voc["stmt_nmi"] > 0.5
    rows = evaluate_units(texts, parse_label_sets(labels), unit="row", seeds=(0,), embedding="lsa",
                          baselines=False, statements=parts).means().loc["voc"]
    # one theme per text cannot pass the ceiling; a whole text matches only a statement longer than the other
    assert rows["topic_recall"] <= rows["one_theme_ceiling"] + 1e-9
    assert rows["segmentation"] < 0.75
    assert "topic_recall" in res.to_markdown() and "segmentation" in res.to_markdown()


def test_cli_multi_label_file_defaults_to_statements(tmp_path) -> None:
    texts, labels, parts = _composites()
    path, gold = _write(tmp_path, texts, labels, parts)
    out = tmp_path / "eval" / "multi"
    r = CliRunner().invoke(cli, ["evaluate", str(path), "--text-column", "text", "--label-column", "label",
                                 "--seeds", "0", "--embedding", "lsa", "--no-baselines",
                                 "--statements-file", str(gold), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "unit = statement" in r.output and "| topic_recall | topic_precision | one_theme_ceiling |" in r.output
    table = (tmp_path / "eval" / "multi.csv").read_text(encoding="utf-8-sig")
    assert "topic_recall" in table.splitlines()[0]


def test_single_label_default_path_is_unchanged(tmp_path) -> None:
    texts = [t for xs in _TOPICS.values() for t in xs for _ in range(2)]
    labels = [y for y, xs in _TOPICS.items() for _ in xs for _ in range(2)]
    path, _ = _write(tmp_path, texts, labels)
    kwargs = dict(text_column="text", label_column="label", seeds="0", embedding="lsa", no_baselines=True)
    before = evaluate(texts, labels, seeds=(0,), embedding="lsa", baselines=False).table
    for unit in (None, "row"):
        after = run_evaluate(str(path), unit=unit, **kwargs).table
        assert list(after.columns) == list(before.columns)
        assert after.drop(columns="seconds").equals(before.drop(columns="seconds"))


def test_single_label_on_statements_scores_each_texts_main_theme(tmp_path) -> None:
    texts = [t + "。" for xs in _TOPICS.values() for t in xs for _ in range(2)]
    labels = [y for y, xs in _TOPICS.items() for _ in xs for _ in range(2)]
    res = evaluate_units(texts, parse_label_sets(labels), unit="statement", seeds=(0,), embedding="lsa",
                         baselines=False)
    voc = res.means().loc["voc"]
    assert voc["nmi"] > 0.5 and voc["one_theme_ceiling"] == 1.0


@pytest.mark.parametrize("cell", ["price||security", "|price", "price|", "price| "])
def test_bad_label_separators_name_the_file_and_column(tmp_path, cell) -> None:
    texts, labels, _ = _composites()
    path, _ = _write(tmp_path, texts[:4], [labels[0], cell, labels[2], labels[3]])
    with pytest.raises(InputError) as err:
        run_evaluate(str(path), text_column="text", label_column="label", seeds="0", embedding="lsa",
                     no_baselines=True)
    message = str(err.value)
    assert str(path) in message and "'label'" in message and "row 1" in message and "--label-sep" in message


def test_empty_label_separator_is_a_config_error(tmp_path) -> None:
    path, _ = _write(tmp_path, ["価格が高い", "サポートが遅い"], ["price", "support"])
    with pytest.raises(ConfigError, match="label-sep"):
        run_evaluate(str(path), text_column="text", label_column="label", label_sep="")
    r = CliRunner().invoke(cli, ["evaluate", str(path), "--text-column", "text", "--label-column", "label",
                                 "--label-sep", ""])
    assert r.exit_code == 2 and "label-sep" in r.output


def test_statement_gold_must_name_known_rows(tmp_path) -> None:
    texts, labels, parts = _composites()
    path, gold = _write(tmp_path, texts, labels, [*parts, (999, 0, 3, "price")])
    with pytest.raises(InputError) as err:
        run_evaluate(str(path), text_column="text", label_column="label", statements_file=str(gold), seeds="0",
                     embedding="lsa", no_baselines=True)
    assert str(gold) in str(err.value) and "999" in str(err.value)


def test_options_of_one_label_per_text_are_refused_on_label_sets(tmp_path) -> None:
    texts, labels, _ = _composites()
    path, _ = _write(tmp_path, texts, labels)
    with pytest.raises(ConfigError, match="--supervised"):
        run_evaluate(str(path), text_column="text", label_column="label", supervised=True, seeds="0")


def test_texts_without_a_voice_statement_are_counted_and_score_nothing() -> None:
    texts, labels, _ = _composites()
    texts, labels = [*texts, "特になし"], [*labels, "price|support"]
    res = evaluate_units(texts, parse_label_sets(labels), unit="statement", seeds=(0,), embedding="lsa",
                         baselines=False)
    assert res.settings["texts_without_voice"] == 1
    full = evaluate_units(texts[:-1], parse_label_sets(labels[:-1]), unit="statement", seeds=(0,),
                          embedding="lsa", baselines=False)
    n = len(texts)
    assert res.means().loc["voc", "topic_recall"] == pytest.approx(full.means().loc["voc", "topic_recall"] * (n - 1) / n)


def test_gold_log_statements_give_voice_and_log_precision_and_recall() -> None:
    """A gold file whose rep's-log statements are labelled ``log``: each unit is read as the kind of
    the gold statement it overlaps most, against the kind voc told it (issue #27: voice/log
    precision and recall in voc evaluate)."""
    import pandas as pd

    from voc.evaluate._multi import statement_scores

    units = pd.DataFrame({"row": [0, 0, 0, 1, 1], "start": [0, 10, 20, 0, 8], "end": [9, 19, 30, 7, 15],
                          "kind": ["log", "voice", "voice", "voice", "log"]})
    parts = [(0, 0, 9, "log"), (0, 10, 19, "price"), (0, 20, 30, "log"), (1, 0, 7, "support"), (1, 8, 15, "price")]
    got = statement_scores(units, np.asarray([-1, 0, 1, 0, -1]), parts)
    # voice: told voice 3 (of which gold voice 2), gold voice 3 (of which told voice 2)
    assert got["voice_precision"] == pytest.approx(2 / 3) and got["voice_recall"] == pytest.approx(2 / 3)
    # log: told log 2 (gold log 1), gold log 2 (told log 1)
    assert got["log_precision"] == pytest.approx(1 / 2) and got["log_recall"] == pytest.approx(1 / 2)
    # no gold log statement: the log figures are not defined (blank), the voice ones are
    clean = statement_scores(units, np.asarray([-1, 0, 1, 0, -1]), [(0, 10, 19, "price"), (1, 0, 7, "support")])
    assert np.isnan(clean["log_recall"]) and clean["voice_recall"] == pytest.approx(1.0)
