"""voc.evaluate: metrics, the evaluation table, and the ``voc evaluate`` command."""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

from voc.cli import cli
from voc.evaluate import evaluate, npmi_coherence, read_labeled, topic_diversity

# Three lost-deal reasons, each written several ways around its own vocabulary.
_THEMES = {
    "price": [
        "価格が高い",
        "予算オーバーで価格が合わない",
        "価格面で予算に合わない",
        "値引きしても価格が高い",
        "予算不足、費用が高い",
    ],
    "security": [
        "セキュリティ要件を満たさない",
        "セキュリティ審査で却下",
        "SSO非対応でセキュリティ要件に不適合",
        "セキュリティ基準に不適合",
        "監査ログ要件を満たさない",
    ],
    "timing": [
        "来期に再検討",
        "時期尚早、来期に再検討",
        "組織変更で来期まで凍結",
        "来期の予算時期まで保留",
        "時期を改めて再検討",
    ],
}
_SUFFIXES = ["", "とのこと。", "。先方判断。", "ため今回は見送り。"]


def _labeled() -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for label, phrases in _THEMES.items():
        for phrase in phrases:
            for suffix in _SUFFIXES:
                texts.append(phrase + suffix)
                labels.append(label)
    return texts, labels


def test_npmi_extremes() -> None:
    tokens = [["価格", "予算"], ["価格", "予算"], ["SSO"], ["監査"]]
    assert npmi_coherence([["価格", "予算"]], tokens) == pytest.approx(1.0)
    assert npmi_coherence([["価格", "SSO"]], tokens) == pytest.approx(-1.0)
    assert np.isnan(npmi_coherence([["未知語"]], tokens))


def test_topic_diversity() -> None:
    assert topic_diversity([["価格", "予算"], ["SSO", "監査"]]) == 1.0
    assert topic_diversity([["価格", "予算"], ["価格", "監査"]]) == 0.75


@pytest.fixture(scope="module")
def result():
    texts, labels = _labeled()
    return evaluate(texts, labels, seeds=(0, 1), embedding="lsa")


def test_evaluate_table(result) -> None:
    means = result.means()
    assert list(means.index) == ["voc", "tfidf+kmeans", "tfidf+nmf", "lda"]
    assert result.n_labels == 3 and result.n_documents == 60
    for col in ("nmi", "ari", "v_measure", "unassigned", "diversity", "stability"):
        assert means[col].between(-1, 1).all(), col
    assert (means["n_themes"] == 3).all()
    assert len(result.table) == 4 + 4 * 2  # mean rows + per seed rows
    # three themes written in different words: voc must find them
    assert means.loc["voc", "nmi"] > 0.5
    md = result.to_markdown()
    assert md.startswith("| method | seed | nmi | ari |") and "| voc | mean |" in md


def test_evaluate_compares_embeddings_in_one_run() -> None:
    texts, labels = _labeled()
    res = evaluate(texts, labels, seeds=(0,), embedding="lsa,lsa-char", baselines=False)
    assert list(res.means().index) == ["voc:lsa", "voc:lsa-char"]


def test_evaluate_rejects_single_label() -> None:
    from voc.errors import InputError

    with pytest.raises(InputError, match="distinct"):
        evaluate(["価格が高い", "予算がない"], ["price", "price"])


def test_read_labeled_with_truth_file(tmp_path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("deal_id,lost_reason\nD1,価格が高い\nD2,SSO非対応\nD3,\nD4,来期に再検討\n", encoding="utf-8")
    truth = tmp_path / "truth.csv"
    truth.write_text("row,theme\n0,price\n1,security\n2,\n3,none\n", encoding="utf-8")
    texts, labels = read_labeled(
        str(export), text_column="lost_reason", label_column="theme", label_file=str(truth), ignore_labels=["none"]
    )
    assert texts == ["価格が高い", "SSO非対応"] and labels == ["price", "security"]


def test_cli_evaluate_writes_csv_and_markdown(tmp_path) -> None:
    texts, labels = _labeled()
    path = tmp_path / "labeled.csv"
    path.write_text(
        "text,label\n" + "".join(f"{t},{y}\n" for t, y in zip(texts, labels, strict=True)), encoding="utf-8"
    )
    out = tmp_path / "eval" / "table"
    args = ["evaluate", str(path), "--text-column", "text", "--label-column", "label", "--seeds", "0"]
    r = CliRunner().invoke(cli, [*args, "--embedding", "lsa", "--no-baselines", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "| voc | mean |" in r.output
    assert (tmp_path / "eval" / "table.csv").read_text(encoding="utf-8").startswith("method,seed,nmi")
    assert "60 texts, 3 labels" in (tmp_path / "eval" / "table.md").read_text(encoding="utf-8")


def test_cli_evaluate_bad_column_exits_2(tmp_path) -> None:
    path = tmp_path / "labeled.csv"
    path.write_text("text,label\n価格が高い,price\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["evaluate", str(path), "--text-column", "text", "--label-column", "categry"])
    assert r.exit_code == 2
    assert "categry" in r.output


def test_theme_labels_skip_generic_words() -> None:
    from voc.label import label_from_keywords

    assert label_from_keywords(["事", "為る", "様", "価格", "ー", "予算", "高い"]) == "価格・予算・高い"
