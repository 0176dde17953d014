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
    # voc's themes are named and the names measured; the baselines' are blank
    assert "| grounded | fragments | distinct |" in md and "sub_nmi" not in md
    for col in ("grounded", "fragments", "distinct"):
        assert 0 <= means.loc["voc", col] <= 1, col
        assert means.loc[["tfidf+kmeans", "tfidf+nmf", "lda"], col].isna().all(), col
    assert means.loc["voc", "distinct"] == 1.0


def test_evaluate_compares_embeddings_in_one_run() -> None:
    texts, labels = _labeled()
    res = evaluate(texts, labels, seeds=(0,), embedding="lsa,lsa-char", baselines=False)
    assert list(res.means().index) == ["voc:lsa", "voc:lsa-char"]


def test_evaluate_rejects_single_label() -> None:
    from voc.errors import InputError

    with pytest.raises(InputError, match="distinct"):
        evaluate(["価格が高い", "予算がない"], ["price", "price"])


def _read_with_truth(tmp_path, reasons: list[str], themes: list[str], **kwargs):
    """read_labeled on an export of lost reasons (D1, D2 …) and a truth file with one theme per row."""
    export = tmp_path / "export.csv"
    export.write_text(
        "deal_id,lost_reason\n" + "".join(f"D{i + 1},{r}\n" for i, r in enumerate(reasons)), encoding="utf-8"
    )
    truth = tmp_path / "truth.csv"
    truth.write_text("row,theme\n" + "".join(f"{i},{t}\n" for i, t in enumerate(themes)), encoding="utf-8")
    return read_labeled(
        str(export), text_column="lost_reason", label_column="theme", label_file=str(truth),
        ignore_labels=["none"], **kwargs,
    )


def test_read_labeled_with_truth_file(tmp_path) -> None:
    texts, labels = _read_with_truth(
        tmp_path, ["価格が高い", "SSO非対応", "", "来期に再検討"], ["price", "security", "", "none"]
    )
    assert texts == ["価格が高い", "SSO非対応"] and labels == ["price", "security"]


def test_read_labeled_keeps_unlabeled_rows_when_asked(tmp_path) -> None:
    texts, labels = _read_with_truth(
        tmp_path,
        ["価格が高い", "SSO非対応", "", "来期に再検討", "要件未達"],
        ["price", "", "timing", "none", "features"],
        keep_unlabeled=True,
    )
    # the blank text (D3) still goes; the blank and the ignored label are kept as unlabeled
    assert texts == ["価格が高い", "SSO非対応", "来期に再検討", "要件未達"]
    assert labels == ["price", "", "", "features"]


def test_unlabeled_texts_are_fitted_but_not_scored(monkeypatch) -> None:
    """With unlabeled="fit" every text is fitted and the scores use the labeled texts only."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    import voc.evaluate._run as ev_run
    from voc.errors import ConfigError

    texts, labels = _labeled()
    labels = ["" if i % 3 == 0 else y for i, y in enumerate(labels)]
    # a fixed partition of all 60 texts, to compare the table with a hand-computed score
    pred = np.array([i % 4 for i in range(len(texts))])
    seen: list[int] = []

    def fake_run_seed(seed, fitted_texts, *args, **kwargs):
        seen.append(len(fitted_texts))
        return [ev_run.Fit("voc", pred, [["価格", "予算"]], 0.0)]

    monkeypatch.setattr(ev_run, "run_seed", fake_run_seed)
    res = evaluate(texts, labels, seeds=(0,), baselines=False, unlabeled="fit")
    assert seen == [60] and res.n_documents == 60 and res.settings["scored"] == 40
    keep = np.array([bool(y) for y in labels])
    gold = [y for y in labels if y]
    row = res.means().loc["voc"]
    assert row["nmi"] == pytest.approx(normalized_mutual_info_score(gold, pred[keep]))
    assert row["ari"] == pytest.approx(adjusted_rand_score(gold, pred[keep]))
    # the default leaves the unlabeled texts out of the fit
    seen.clear()
    pred = pred[keep]
    evaluate(texts, labels, seeds=(0,), baselines=False)
    assert seen == [40]
    with pytest.raises(ConfigError, match="unlabeled"):
        evaluate(texts, labels, seeds=(0,), baselines=False, unlabeled="keep")


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
    # the summary line, then the table (the runner mixes the log into the output)
    assert 0 <= r.output.find("60 texts, 3 labels; ") < r.output.index("| method |")
    assert (tmp_path / "eval" / "table.csv").read_text(encoding="utf-8-sig").startswith("method,seed,nmi")
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


def test_evaluate_compares_numbers_of_themes_on_the_same_embeddings(monkeypatch) -> None:
    """--n-themes 3,5: one row per k, named by k, fitted on one embedding per seed; the baselines
    are fitted at each k."""
    import voc.embed as embed_module

    texts, labels = _labeled()
    made: list[str] = []
    real = embed_module.make_embedder

    def counting(name, **kwargs):
        made.append(name)
        return real(name, **kwargs)

    monkeypatch.setattr(embed_module, "make_embedder", counting)
    res = evaluate(texts, labels, seeds=(0,), embedding="lsa", n_themes="3,5", baselines=["tfidf+kmeans"])
    means = res.means()
    assert list(means.index) == ["voc:lsa/k=3", "voc:lsa/k=5", "tfidf+kmeans/k=3", "tfidf+kmeans/k=5"]
    assert means["n_themes"].tolist() == [3, 5, 3, 5]
    assert made == ["lsa"] and res.settings["n_themes"] == "3,5"
    assert evaluate(texts, labels, seeds=(0,), embedding="lsa", n_themes=[4], baselines=False).means().index.tolist() == ["voc"]
    from voc.errors import ConfigError

    with pytest.raises(ConfigError, match="each number of themes once"):
        evaluate(texts, labels, seeds=(0,), n_themes="3,3", baselines=False)
    with pytest.raises(ConfigError, match="n_themes must be 'auto' or an integer"):
        evaluate(texts, labels, seeds=(0,), n_themes="3,x", baselines=False)


def test_cli_evaluate_takes_several_numbers_of_themes(tmp_path) -> None:
    texts, labels = _labeled()
    path = tmp_path / "labeled.csv"
    path.write_text(
        "text,label\n" + "".join(f"{t},{y}\n" for t, y in zip(texts, labels, strict=True)), encoding="utf-8"
    )
    args = ["evaluate", str(path), "--text-column", "text", "--label-column", "label", "--seeds", "0",
            "--embedding", "lsa", "--no-baselines"]
    r = CliRunner().invoke(cli, [*args, "--n-themes", "3,4"])
    assert r.exit_code == 0, r.output
    assert "| voc:lsa/k=3 | mean |" in r.output and "| voc:lsa/k=4 | mean |" in r.output
    assert "n_themes = 3,4" in r.output
    r = CliRunner().invoke(cli, [*args, "--n-themes", "3", "--supervised"])
    assert r.exit_code == 0, r.output
    assert "| supervised | mean |" in r.output
    bad = CliRunner().invoke(cli, [*args, "--n-themes", "3,three"])
    assert bad.exit_code == 2 and "n_themes must be 'auto' or an integer" in bad.output


# -- names and sub-themes ---------------------------------------------------------------------------
def _sublabeled() -> tuple[list[str], list[str], list[str]]:
    """The three themes of _labeled, each text's phrase as its sub-label (5 per theme, 15 in all)."""
    texts, labels = _labeled()
    subs = [f"{y}::{i // len(_SUFFIXES) % 5}" for i, y in enumerate(labels)]
    return texts, labels, subs


def test_flat_row_is_scored_against_the_sublabels(monkeypatch) -> None:
    """The sub-theme columns are computed against the sub-labels, the usual ones against the labels:
    the flat fit's sub_nmi is the NMI of its themes against the sub-labels, not the top labels; the
    variant's pairs are (theme, sub-theme)."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    import voc.evaluate._run as ev_run
    from voc.evaluate.metrics import pair_labels

    texts, labels, subs = _sublabeled()
    n = len(texts)
    themes = np.array([i % 3 for i in range(n)])  # a partition that agrees with neither level
    within = np.array([(i // 3) % 2 for i in range(n)])
    flat = np.array([i % 15 for i in range(n)])
    seen: list[int | None] = []

    def fake_run_seed(seed, fitted_texts, tokens, variants, names, tokenizer, top_n, baselines, supervised, sub_k, **kw):
        seen.append(sub_k)
        return [
            ev_run.Fit("voc", themes, [], 0.0, naming={"grounded": 1.0, "fragments": 0.0, "distinct": 1.0},
                       subthemes=within),
            ev_run.Fit(ev_run.flat_name("voc", sub_k), flat, [], 0.0, flat=True),
            ev_run.Fit("tfidf+kmeans", themes, [], 0.0),
        ]

    monkeypatch.setattr(ev_run, "run_seed", fake_run_seed)
    res = evaluate(texts, labels, sublabels=subs, seeds=(0,), baselines=["tfidf+kmeans"])
    means = res.means()
    assert seen == [15] and list(means.index) == ["voc", "voc/flat-k=15", "tfidf+kmeans"]
    assert res.settings["sublabels"] == 15
    row = means.loc["voc/flat-k=15"]
    assert row["sub_nmi"] == pytest.approx(normalized_mutual_info_score(subs, flat))
    assert row["sub_ari"] == pytest.approx(adjusted_rand_score(subs, flat))
    assert row["sub_nmi"] != pytest.approx(normalized_mutual_info_score(labels, flat))
    assert row["nmi"] == pytest.approx(normalized_mutual_info_score(labels, flat)) and row["n_pairs"] == 15
    pairs = pair_labels(themes, within)
    assert means.loc["voc", "sub_nmi"] == pytest.approx(normalized_mutual_info_score(subs, pairs))
    assert means.loc["voc", "sub_ari"] == pytest.approx(adjusted_rand_score(subs, pairs))
    assert means.loc["voc", "n_pairs"] == 6 and means.loc["voc", "grounded"] == 1.0
    # the baseline's names and sub-themes are blank, in the table and in the Markdown
    assert means.loc["tfidf+kmeans", ["grounded", "fragments", "distinct", "sub_nmi", "sub_ari", "n_pairs"]].isna().all()
    md = res.to_markdown()
    assert "| sub_nmi | sub_ari | n_pairs |" in md
    header = [c.strip() for c in md.splitlines()[0].split("|")[1:-1]]
    line = [ln for ln in md.splitlines() if ln.startswith("| tfidf+kmeans | mean |")][0]
    cells = dict(zip(header, [c.strip() for c in line.split("|")[1:-1]], strict=True))
    assert [cells[c] for c in ("grounded", "fragments", "distinct", "sub_nmi", "sub_ari", "n_pairs")] == [""] * 6
    # without sub-labels the sub-theme columns stay in the table (blank) but not in the Markdown
    seen.clear()
    monkeypatch.setattr(ev_run, "run_seed", lambda *a, **k: [ev_run.Fit("voc", themes, [], 0.0)])
    plain = evaluate(texts, labels, seeds=(0,), baselines=False)
    assert plain.means()["sub_nmi"].isna().all() and "sub_nmi" not in plain.to_markdown()
    from voc.errors import InputError

    with pytest.raises(InputError, match="sub-label"):
        evaluate(texts, labels, sublabels=["x"] * n, seeds=(0,), baselines=False)
    with pytest.raises(InputError, match="sub-labels"):
        evaluate(texts, labels, sublabels=subs[:-1], seeds=(0,), baselines=False)


def test_names_and_subthemes_on_real_meal_requests(shared_data) -> None:
    """400 ASDC meal requests (14 groups, their leaves as sub-labels; skipped without the shared
    corpora): every figure present and in range; names unique; the flat fit at the number of
    leaves beside voc; baselines blank."""
    import pandas as pd

    path = shared_data / "asdc_food_subtopics.csv"
    if not path.exists():
        pytest.skip(f"{path} not found (the shared corpora predate it)")
    frame = pd.read_csv(path).sample(n=400, random_state=0)
    res = evaluate(frame["text"].tolist(), frame["top"].tolist(), sublabels=frame["label"].tolist(),
                   n_themes=8, seeds=(0,), baselines=["tfidf+kmeans"])
    means = res.means()
    n_leaves = frame["label"].nunique()
    flat = f"voc/flat-k={n_leaves}"
    assert list(means.index) == ["voc", flat, "tfidf+kmeans"]
    for method in ("voc", flat):
        row = means.loc[method]
        for col in ("grounded", "fragments", "distinct", "sub_nmi"):
            assert 0 <= row[col] <= 1, (method, col)
        assert -1 <= row["sub_ari"] <= 1 and row["distinct"] == 1.0
    assert means.loc[flat, "n_themes"] == n_leaves == means.loc[flat, "n_pairs"]
    # the sub-themes refine the themes: at least one pair per theme
    assert means.loc["voc", "n_pairs"] >= means.loc["voc", "n_themes"] == 8
    assert means.loc["tfidf+kmeans", ["grounded", "fragments", "distinct", "sub_nmi", "sub_ari", "n_pairs"]].isna().all()


def test_cli_evaluate_sublabel_column(tmp_path) -> None:
    texts, labels, subs = _sublabeled()
    path = tmp_path / "labeled.csv"
    path.write_text(
        "text,top,label\n" + "".join(f"{t},{y},{s}\n" for t, y, s in zip(texts, labels, subs, strict=True)),
        encoding="utf-8",
    )
    out = tmp_path / "table"
    args = ["evaluate", str(path), "--text-column", "text", "--label-column", "top", "--seeds", "0",
            "--embedding", "lsa", "--no-baselines", "--out", str(out)]
    r = CliRunner().invoke(cli, [*args, "--sublabel-column", "label"])
    assert r.exit_code == 0, r.output
    assert "sublabels = 15" in r.output and "| voc/flat-k=15 | mean |" in r.output
    assert "| grounded | fragments | distinct | sub_nmi | sub_ari | n_pairs |" in r.output
    import pandas as pd

    table = pd.read_csv(out.with_suffix(".csv"))
    assert {"grounded", "fragments", "distinct", "sub_nmi", "sub_ari", "n_pairs"} <= set(table.columns)
    assert table.loc[table["method"] == "voc/flat-k=15", "n_themes"].eq(15).all()
    assert table[["sub_nmi", "grounded"]].notna().all().all()
    bad = CliRunner().invoke(cli, [*args, "--sublabel-column", "leaf"])
    assert bad.exit_code == 2 and "leaf" in bad.output


def test_read_labels_from_a_truth_file_with_two_columns(tmp_path) -> None:
    from voc.evaluate import read_labels

    export = tmp_path / "export.csv"
    export.write_text("deal_id,lost_reason\nD1,価格が高い\nD2,SSO非対応\nD3,来期に再検討\n", encoding="utf-8")
    truth = tmp_path / "truth.csv"
    truth.write_text("row,theme,detail\n0,price,price::initial\n1,security,\n2,none,x\n", encoding="utf-8")
    texts, (top, detail) = read_labels(
        str(export), text_column="lost_reason", label_columns=["theme", "detail"], label_file=str(truth),
        ignore_labels=["none"],
    )
    assert texts == ["価格が高い", "SSO非対応"] and top == ["price", "security"] and detail == ["price::initial", ""]


def test_names_of_the_sample_lost_reasons() -> None:
    """The sample corpus' lost reasons with their planted themes: the names of voc's themes are
    measured for every seed, in range and unique; the same seeds give the same figures whether the
    seeds run in one process or two."""
    from tests.conftest import SAMPLE_CSV, SAMPLE_TRUTH

    texts, labels = read_labeled(
        str(SAMPLE_CSV), text_column="lost_reason", label_column="lost_reason_theme", label_file=str(SAMPLE_TRUTH),
        ignore_labels=["none"],
    )
    texts, labels = texts[:500], labels[:500]
    res = evaluate(texts, labels, seeds=(0, 1), embedding="lsa", baselines=False)
    table = res.table[res.table["method"] == "voc"]
    assert len(table) == 3  # the mean and two seeds
    for col in ("grounded", "fragments", "distinct"):
        assert table[col].between(0, 1).all(), col
    assert (table["distinct"] == 1.0).all()
    again = evaluate(texts, labels, seeds=(0, 1), embedding="lsa", baselines=False, jobs=2)
    columns = ["nmi", "ari", "grounded", "fragments", "distinct"]
    assert again.table[columns].equals(res.table[columns])
