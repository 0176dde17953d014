"""voc.statements: the splitter and the voice/log rule, on real Japanese strings; the sample's
statement truth; the composite texts."""

from __future__ import annotations

import csv

import pytest

from voc.statements import Cue, KindRules, split_statements, statement_kind

from .conftest import CORPUS, ROOT

SPLITS = [
    # (text, statements)
    (
        "11/5 初回訪問。先方は営業部長と担当者の2名。CRM未導入。",
        ["11/5 初回訪問。", "先方は営業部長と担当者の2名。", "CRM未導入。"],
    ),
    ("訪問 部長同席 価格高い 次回デモ", ["訪問", "部長同席", "価格高い", "次回デモ"]),
    ("訪問\u3000部長同席\u3000価格高い\u3000次回デモ", ["訪問", "部長同席", "価格高い", "次回デモ"]),
    ("・価格が高い\n・予算NG／決裁者NG\n① 次回デモ", ["価格が高い", "予算NG", "決裁者NG", "次回デモ"]),
    ("1. 価格が高い\n2) 他社の方が安い", ["価格が高い", "他社の方が安い"]),
    ("【11/5 MTG】先方：社長。", ["【11/5 MTG】", "先方：社長。"]),
    ("【懸念】価格が高いとのこと。次回見積", ["【懸念】価格が高いとのこと。", "次回見積"]),
    ("ITの一週間を振り返る【ITフラッシュバック】", ["ITの一週間を振り返る【ITフラッシュバック】"]),
    (
        "2024/11/14に連絡。https://www.example.co.jp/a/b を参照",
        ["2024/11/14に連絡。", "https://www.example.co.jp/a/b を参照"],
    ),
    ("山田様 taro.yamada@example.jp / 090-1234-5678", ["山田様 taro.yamada@example.jp / 090-1234-5678"]),
    ("代表番号 03-1234-5678、田中部長につないでもらう。", ["代表番号 03-1234-5678、田中部長につないでもらう。"]),
    ("Nova CRMに決定。先方はMicrosoft Teamsを利用", ["Nova CRMに決定。", "先方はMicrosoft Teamsを利用"]),
    ("Slack/Teamsへの通知が細かく設定できない", ["Slack/Teamsへの通知が細かく設定できない"]),
    ("価格・操作性・サポートの3つとのこと", ["価格・操作性・サポートの3つとのこと"]),
    ("「価格が高い。サポートも不安。」と言われた", ["「価格が高い。サポートも不安。」と言われた"]),
    ("［氏名］様 ［電話］", ["［氏名］様 ［電話］"]),
    ("CRM未導入. 営業は個人管理. v2.0 は未対応", ["CRM未導入.", "営業は個人管理.", "v2.0 は未対応"]),
    ("入力できますか?はい、3.5名です!!", ["入力できますか?", "はい、3.5名です!!"]),
    ("６/３訪問 ＣＲＭ未導入。", ["６/３訪問", "ＣＲＭ未導入。"]),
    ("11月5日 Teamsで打ち合わせ", ["11月5日 Teamsで打ち合わせ"]),
    ("価格NG →再提案へ", ["価格NG", "→再提案へ"]),
    ("予算なし。→", ["予算なし。→"]),
    ("", []),
    ("。・ ", []),
]


@pytest.mark.parametrize(("text", "expected"), SPLITS)
def test_split_statements(text: str, expected: list[str]) -> None:
    got = split_statements(text)
    assert [s.text for s in got] == expected
    assert all(text[s.start : s.end] == s.text for s in got)
    assert all(a.end <= b.start for a, b in zip(got, got[1:], strict=False))


KINDS = [
    ("価格が高いとのこと", "voice", "hearsay"),
    ("〇〇機能を追加してほしい", "voice", "want"),
    ("現行ツールの操作性が不満", "voice", "objection"),
    ("他社の方が安い", "voice", "comparison"),
    ("CSV出力できますか", "voice", "question"),
    ("SSO対応の有無を確認された", "voice", "passive"),
    ("前向きだが決め手に欠ける様子", "log", "reading"),
    ("温度感高め", "log", "reading"),
    ("要件一覧を先方から受領予定。", "log", "plan"),
    ("来期から部を分ける予定で、仕組みを整えたいという話。", "voice", "hearsay"),
    ("受注！", "log", "outcome"),
    ("契約締結", "log", "outcome"),
    ("発注書受領済み", "log", "plan"),
    ("失注。", "log", "outcome"),
    ("価格が合わず失注", "voice", "objection"),
    ("11/5 オンライン商談（Zoom）", "log", "visit"),  # a dated line is read by its words
    ("部長同席", "log", "attendees"),
    ("次回デモ", "log", "next_step"),
    ("2週間後にﾌｫﾛｰ電話", "log", "next_step"),
    ("事例資料を送る", "log", "plan"),
    ("名刺管理ツールのみ導入済み", "voice", "default"),
    ("CRM未導入", "voice", "default"),
    ("関係は良好なので、いずれ再提案したい。", "log", "plan"),  # the rep's intent, not a customer's want
    ("再提案してほしいとのこと", "voice", "hearsay"),
    ("残念。", "log", "reading"),
    ("残念ながら帳票出力が自由にできない点がネック。", "voice", "objection"),
]


@pytest.mark.parametrize(("text", "kind", "cue"), KINDS)
def test_statement_kind(text: str, kind: str, cue: str) -> None:
    got = statement_kind(text)
    assert (got.kind, got.cue) == (kind, cue)
    assert got.match in text or got.cue == "default" or got.match  # NFKC form of the words found


def test_kind_rules_are_data() -> None:
    rules = KindRules().with_cues([Cue("crm_words", "log", r"^CRM")])
    assert statement_kind("CRM未導入", rules).cue == "crm_words"
    assert statement_kind("CRM未導入", KindRules(default="log")).kind == "log"
    with pytest.raises(ValueError, match="must be one of"):
        KindRules(default="customer")  # type: ignore[arg-type]


def _statement_truth() -> tuple[list[dict], list[dict]]:
    with open(CORPUS / "sample_crm_export.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with open(CORPUS / "sample_crm_export.statements.csv", encoding="utf-8", newline="") as fh:
        truth = list(csv.DictReader(fh))
    return rows, truth


def test_statement_truth_points_into_the_notes() -> None:
    rows, truth = _statement_truth()
    assert {t["kind"] for t in truth} == {"voice", "log"}
    by_row: dict[int, list[tuple[int, int]]] = {}
    for t in truth:
        note = rows[int(t["row"])]["call_note"]
        a, b = int(t["start"]), int(t["end"])
        assert 0 <= a < b <= len(note) and note[a:b] == note[a:b].strip(), (t, note)
        assert rows[int(t["row"])]["deal_id"] == t["deal_id"]
        by_row.setdefault(int(t["row"]), []).append((a, b))
    assert set(by_row) == {i for i, r in enumerate(rows) if r["call_note"]}
    for spans in by_row.values():
        assert all(x[1] <= y[0] for x, y in zip(spans, spans[1:], strict=False))


def test_generator_layouts_change_only_call_notes() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen_statements", ROOT / "corpus" / "generate.py")
    gen = importlib.util.module_from_spec(spec)
    assert spec.loader
    spec.loader.exec_module(gen)
    rows, truth, statements = gen.generate_with_statements(400, 7)
    plain, plain_truth, _ = gen.generate_with_statements(400, 7, layouts=False)
    assert truth == plain_truth
    assert [{**r, "call_note": ""} for r in rows] == [{**r, "call_note": ""} for r in plain]
    assert any(r["call_note"] != p["call_note"] for r, p in zip(rows, plain, strict=True))
    assert (rows, statements) == gen.generate_with_statements(400, 7)[::2]
    for s in statements:
        assert rows[s["row"]]["call_note"][s["start"] : s["end"]].strip()


def test_splitter_and_kind_on_the_sample() -> None:
    from bench.statements import kind_scores, load_sample, ours, segmentation

    notes, gold, kinds = load_sample()
    rec, prec = segmentation(gold, {k: ours(notes[int(k)]) for k in gold})
    assert rec >= 0.9 and prec >= 0.9
    scores = kind_scores((k, statement_kind(notes[r][a:b]).kind) for r, a, b, k in kinds)
    assert all(p >= 0.9 and r >= 0.9 for p, r in scores.values()), scores


def test_composite_uses_each_text_once_with_distinct_labels() -> None:
    from bench.composite import compose

    rows = [(f"{lab}の文その{i}です。", lab) for lab in "abcde" for i in range(7)]
    comps = compose(rows, seed=3)
    assert comps == compose(rows, seed=3)
    used = [c["text"][a:b] for c in comps for a, b, _ in c["parts"]]
    assert len(used) == len(set(used)) and set(used) <= {t for t, _ in rows}
    for c in comps:
        labels = c["label"].split("|")
        assert 2 <= len(labels) <= 4 and len(set(labels)) == len(labels)
        assert [lab for _, _, lab in c["parts"]] == labels
        assert all(c["text"][a:b] == f"{lab}" + c["text"][a + 1 : b] for a, b, lab in c["parts"])
