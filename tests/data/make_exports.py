"""Write CRM-shaped exports of the sample corpus: what Salesforce, HubSpot, kintone and Dynamics give users.

    python tests/data/make_exports.py OUT_DIR [--n 240] [--seed 0]

Tests call :func:`write_exports` into ``tmp_path``; nothing generated is committed. Each export holds the
same seeded sample of ``corpus/sample_crm_export.csv`` rows (fictional data), renamed and re-spelled
the way that CRM writes it:

* ``salesforce_cp932.csv``: a Japanese-UI Salesforce report: CP932, every field quoted, CRLF,
  フェーズ ``Closed Won`` / ``Closed Lost`` / 交渉 ..., 完了予定日 ``2024/11/01``, 金額 ``¥1,234``, and
  the footer 合計 / 機密情報 - 社外秘 / Copyright after a blank line.
* ``salesforce_utf8.csv``: the same report from an org with Japanese phases (商談成立 / 不成立),
  UTF-8 with BOM.
* ``salesforce_en.csv``: an English-UI report (Stage, Close Date, Amount ``¥1,234``), UTF-8 with BOM,
  footer ``Grand Totals (N records)`` / ``Confidential Information - Do Not Distribute`` / Copyright.
* ``hubspot.xlsx``: a HubSpot deals download: a title row, a blank row, then the header; 取引ステージ
  成約 / 失注 and open stages (some not in voc's vocabulary: counted as open); dates as Excel dates.
* ``kintone.csv``: a kintone 案件管理 app export: UTF-8 with BOM, every field quoted, レコード番号,
  ステータス 受注 / 失注 / 商談中.
* ``dynamics.csv``: a Dynamics 365 営業案件 export: the hidden ``(Do Not Modify)`` columns, Status
  Open / Won / Lost and Status Reason In Progress / Won / Out-Sold / Canceled, dates ``2024/11/01 9:00``.

:func:`write_exports` returns an :class:`ExportSpec` per file: which columns hold the text, the date and
the outcome, and how many data and footer rows it has, so that tests can check what voc finds.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "corpus" / "sample_crm_export.csv"


@dataclass
class ExportSpec:
    """What a generated export holds (the truth tests check voc against)."""

    path: Path
    text_columns: list[str]
    date_column: str
    outcome_column: str
    id_column: str | None
    n_rows: int  # data rows (footer rows included)
    n_footer: int
    header_row: int = 1
    n_won: int = 0
    n_lost: int = 0
    segment_columns: list[str] = field(default_factory=list)
    won_values: set[str] = field(default_factory=set)
    lost_values: set[str] = field(default_factory=set)


def _sample(n: int, seed: int) -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rng = random.Random(seed)
    picked = sorted(rng.sample(range(len(rows)), min(n, len(rows))))
    return [rows[i] for i in picked]


def _slash(date: str) -> str:
    return date.replace("-", "/")


def _yen(amount: str) -> str:
    return f"¥{int(amount):,}"


def _write_csv(
    path: Path,
    header: list[str],
    rows: list[list[str]],
    footer: list[list[str]],
    *,
    encoding: str,
    quote_all: bool,
    newline: str,
) -> None:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL, lineterminator=newline)
    w.writerow(header)
    w.writerows(rows)
    for line in footer:
        if line:
            w.writerow(line)
        else:
            buf.write(newline)
    text = buf.getvalue()
    if encoding == "cp932":  # what Excel and Salesforce write: 〜 as ～, ¥ as ￥, the rest as ?
        text = text.replace("\u301c", "\uff5e").replace("\u00a5", "\uffe5")
    path.write_bytes(text.encode(encoding, errors="replace"))


SF_OPEN = {"リード": "見込み", "提案": "提案", "見積提示": "見積提示", "交渉": "交渉"}
SF_OPEN_EN = {
    "リード": "Prospecting",
    "提案": "Value Proposition",
    "見積提示": "Proposal/Price Quote",
    "交渉": "Negotiation/Review",
}


def _salesforce(
    out: Path, rows: list[dict[str, str]], *, name: str, english: bool, won: str, lost: str, encoding: str
) -> ExportSpec:
    if english:
        header = [
            "Opportunity Name",
            "Account Name",
            "Opportunity Owner",
            "Stage",
            "Amount",
            "Close Date",
            "Created Date",
            "Industry",
            "Region",
            "Competitor",
            "Call Notes",
            "Loss Reason",
        ]
    else:
        header = [
            "商談名",
            "取引先名",
            "商談 所有者",
            "フェーズ",
            "金額",
            "完了予定日",
            "作成日",
            "業種",
            "地域",
            "競合",
            "商談メモ",
            "失注理由",
        ]
    body = []
    for i, r in enumerate(rows):
        stage = {"受注": won, "失注": lost}.get(r["stage"]) or (SF_OPEN_EN if english else SF_OPEN)[r["stage"]]
        close = r["closed_date"] or r["created_date"]  # Salesforce requires 完了予定日
        body.append(
            [
                f"ミエルクラウド導入 {i + 1:03d}",
                f"株式会社サンプル{i % 37:02d}",
                r["owner"],
                stage,
                _yen(r["amount"]),
                _slash(close),
                _slash(r["created_date"]),
                r["industry"],
                r["region"],
                r["competitor"],
                r["call_note"],
                r["lost_reason"],
            ]
        )
    total = _yen(str(sum(int(r["amount"]) for r in rows)))
    if english:
        footer = [
            [],
            [f"Grand Totals ({len(rows)} records)", "", "", "", total],
            ["Confidential Information - Do Not Distribute"],
            ["Copyright (c) 2000-2024 salesforce.com, inc. All rights reserved."],
        ]
    else:
        footer = [
            [],
            ["合計", "", "", "", total],
            [],
            ["機密情報 - 社外秘"],
            ["Copyright (c) 2000-2024 salesforce.com, inc. All rights reserved."],
        ]
    path = out / name
    _write_csv(path, header, body, footer, encoding=encoding, quote_all=True, newline="\r\n")
    n_won = sum(r["stage"] == "受注" for r in rows)
    n_lost = sum(r["stage"] == "失注" for r in rows)
    return ExportSpec(
        path=path,
        text_columns=header[10:12],
        date_column=header[5],
        outcome_column=header[3],
        id_column=None,
        n_rows=len(rows) + len(footer),
        n_footer=len(footer),
        n_won=n_won,
        n_lost=n_lost,
        segment_columns=[header[2], header[7], header[8]],
        won_values={won},
        lost_values={lost},
    )


HS_OPEN = {"リード": "アポ設定済み", "提案": "プレゼン予定済み", "見積提示": "契約書送付済み", "交渉": "決裁者の賛同"}


def _hubspot(out: Path, rows: list[dict[str, str]]) -> ExportSpec:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "取引"
    ws.append(["取引レポート（2026年11月）"])
    ws.append([])
    header = [
        "レコードID",
        "取引名",
        "取引ステージ",
        "金額",
        "クローズ日",
        "作成日",
        "取引担当者",
        "業種",
        "会社規模",
        "競合他社",
        "メモ",
        "失注理由",
    ]
    ws.append(header)
    for i, r in enumerate(rows):
        stage = {"受注": "成約", "失注": "失注"}.get(r["stage"]) or HS_OPEN[r["stage"]]
        close = dt.date.fromisoformat(r["closed_date"]) if r["closed_date"] else None
        ws.append(
            [
                str(9_000_000_000 + i * 7919),
                f"サンプル商事 - ミエルクラウド {i + 1}",
                stage,
                int(r["amount"]),
                close,
                dt.date.fromisoformat(r["created_date"]),
                r["owner"],
                r["industry"],
                r["company_size"],
                r["competitor"] or None,
                r["call_note"] or None,
                r["lost_reason"] or None,
            ]
        )
    path = out / "hubspot.xlsx"
    wb.save(path)
    return ExportSpec(
        path=path,
        text_columns=["メモ", "失注理由"],
        date_column="クローズ日",
        outcome_column="取引ステージ",
        id_column="レコードID",
        n_rows=len(rows),
        n_footer=0,
        header_row=3,
        n_won=sum(r["stage"] == "受注" for r in rows),
        n_lost=sum(r["stage"] == "失注" for r in rows),
        segment_columns=["取引担当者", "業種", "会社規模"],
        won_values={"成約"},
        lost_values={"失注"},
    )


def _kintone(out: Path, rows: list[dict[str, str]]) -> ExportSpec:
    header = [
        "レコード番号",
        "案件名",
        "顧客名",
        "担当者",
        "ステータス",
        "確度",
        "見込金額",
        "受注予定日",
        "作成日時",
        "業種",
        "地域",
        "商談内容",
        "失注理由",
    ]
    body = []
    for i, r in enumerate(rows):
        status = {"受注": "受注", "失注": "失注"}.get(r["stage"], "商談中")
        grade = {"受注": "A", "失注": "C"}.get(r["stage"], "B")
        body.append(
            [
                str(i + 1),
                f"ミエルクラウド案件 {i + 1}",
                f"サンプル工業{i % 41:02d}",
                r["owner"],
                status,
                grade,
                r["amount"],
                r["closed_date"],
                f"{r['created_date']} 10:{i % 60:02d}",
                r["industry"],
                r["region"],
                r["call_note"],
                r["lost_reason"],
            ]
        )
    path = out / "kintone.csv"
    _write_csv(path, header, body, [], encoding="utf-8-sig", quote_all=True, newline="\r\n")
    return ExportSpec(
        path=path,
        text_columns=["商談内容", "失注理由"],
        date_column="受注予定日",
        outcome_column="ステータス",
        id_column="レコード番号",
        n_rows=len(rows),
        n_footer=0,
        n_won=sum(r["stage"] == "受注" for r in rows),
        n_lost=sum(r["stage"] == "失注" for r in rows),
        segment_columns=["担当者", "業種", "地域"],
        won_values={"受注"},
        lost_values={"失注"},
    )


def _dynamics(out: Path, rows: list[dict[str, str]], seed: int) -> ExportSpec:
    rng = random.Random(seed + 1)
    header = [
        "(Do Not Modify) Opportunity",
        "(Do Not Modify) Row Checksum",
        "(Do Not Modify) Modified On",
        "Topic",
        "Potential Customer",
        "Owner",
        "Status",
        "Status Reason",
        "Est. Revenue",
        "Actual Close Date",
        "Industry",
        "Description",
    ]
    body = []
    for i, r in enumerate(rows):
        state = {"受注": "Won", "失注": "Lost"}.get(r["stage"], "Open")
        reason = {"Won": "Won", "Lost": rng.choice(["Out-Sold", "Canceled"]), "Open": "In Progress"}[state]
        guid = f"{rng.getrandbits(32):08x}-{rng.getrandbits(16):04x}-4{rng.getrandbits(12):03x}-a{rng.getrandbits(12):03x}-{rng.getrandbits(48):012x}"
        close = f"{_slash(r['closed_date'])} {9 + i % 8}:{i % 60:02d}" if r["closed_date"] else ""
        note = " ".join(x for x in (r["call_note"], r["lost_reason"]) if x)
        body.append(
            [
                guid,
                f"{rng.getrandbits(64):x}=",
                f"{_slash(r['created_date'])} 9:00",
                f"ミエルクラウド {i + 1}",
                f"サンプル物産{i % 29:02d}",
                r["owner"],
                state,
                reason,
                f"¥{int(r['amount']):,}",
                close,
                r["industry"],
                note,
            ]
        )
    path = out / "dynamics.csv"
    _write_csv(path, header, body, [], encoding="utf-8-sig", quote_all=False, newline="\r\n")
    return ExportSpec(
        path=path,
        text_columns=["Description"],
        date_column="Actual Close Date",
        outcome_column="Status",
        id_column="(Do Not Modify) Opportunity",
        n_rows=len(rows),
        n_footer=0,
        n_won=sum(r["stage"] == "受注" for r in rows),
        n_lost=sum(r["stage"] == "失注" for r in rows),
        segment_columns=["Owner", "Industry"],
        won_values={"Won"},
        lost_values={"Lost"},
    )


def write_exports(out_dir: str | Path, *, n: int = 240, seed: int = 0) -> dict[str, ExportSpec]:
    """Write every export shape into *out_dir*; the same *n* and *seed* give the same files."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rows = _sample(n, seed)
    return {
        "salesforce_cp932": _salesforce(
            out,
            rows,
            name="salesforce_cp932.csv",
            english=False,
            won="Closed Won",
            lost="Closed Lost",
            encoding="cp932",
        ),
        "salesforce_utf8": _salesforce(
            out, rows, name="salesforce_utf8.csv", english=False, won="商談成立", lost="不成立", encoding="utf-8-sig"
        ),
        "salesforce_en": _salesforce(
            out,
            rows,
            name="salesforce_en.csv",
            english=True,
            won="Closed Won",
            lost="Closed Lost",
            encoding="utf-8-sig",
        ),
        "hubspot": _hubspot(out, rows),
        "kintone": _kintone(out, rows),
        "dynamics": _dynamics(out, rows, seed),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--n", type=int, default=240)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    for name, spec in write_exports(args.out_dir, n=args.n, seed=args.seed).items():
        print(f"{name}: {spec.path} ({spec.n_rows} data rows, {spec.n_footer} footer)")


if __name__ == "__main__":
    main()
