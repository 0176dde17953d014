"""A category column given as the text column is refused with exit 2 (voc._free_text)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from voc._free_text import require_free_text
from voc.cli import cli
from voc.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "sample_crm_export.csv"


def _kept(texts: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = pd.DataFrame({"row": range(len(texts)), "メモ": texts})
    return pd.DataFrame({"row": range(len(texts)), "text": texts}), frame


@pytest.mark.parametrize(
    ("texts", "refused"),
    [
        (["関東", "関西", "中部"] * 100, True),  # 3 values in 300 rows
        ([f"価格が高い{i}" for i in range(17)] * 17, False),  # 17 ≥ √289
        ([f"価格が高い{i}" for i in range(16)] * 17, True),  # 16 < √272 ≈ 16.5
        (["価格が高い"], False),  # one row: nothing to compare
        ([f"メモ{i}" for i in range(40)], False),  # free text: every note differs
    ],
)
def test_the_square_root_rule(texts: list[str], refused: bool) -> None:
    kept, frame = _kept(texts)
    if refused:
        with pytest.raises(InputError, match="looks like a category column") as info:
            require_free_text(kept, frame, ["メモ"], "export.csv")
        assert info.value.exit_code == 2 and "--segment-column メモ" in str(info.value)
    else:
        require_free_text(kept, frame, ["メモ"], "export.csv")


@pytest.mark.parametrize(("column", "n_values"), [("owner", 20), ("region", 7)])
def test_a_category_column_as_text_exits_2_naming_file_column_and_values(tmp_path, column, n_values) -> None:
    # owner crashed TruncatedSVD ("1 feature(s)": PII masking turns every name into one placeholder),
    # region reported its 7 values as 7 "themes"
    res = CliRunner().invoke(cli, ["-q", "report", str(SAMPLE), "--text-column", column,
                                   "--out", str(tmp_path / "reports" / "latest")])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output and "sample_crm_export.csv" in res.output
    assert f"'{column}': {n_values} distinct values" in res.output and "5,200 analysed rows" in res.output
    assert f"--segment-column {column}" in res.output
    assert not (tmp_path / "reports" / "latest").exists()
