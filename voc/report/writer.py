"""Write a report folder: ``index.html``, ``summary.md``, ``themes.csv``, ``assignments.csv``,
``rejected.csv`` and ``run.json``.

The folder is written under a temporary name beside the target and renamed into place only when
every file is written, so a crashed run never leaves a half-written report where the last good
one was.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from voc.errors import VocError
from voc.report.html import render_html
from voc.report.markdown import render_markdown
from voc.report.model import ReportModel

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["write_report", "REPORT_FILES"]

REPORT_FILES = ("index.html", "summary.md", "themes.csv", "assignments.csv", "rejected.csv", "run.json")


def write_report(
    out_dir: str | Path,
    model: ReportModel,
    assignments: pd.DataFrame,
    rejected: pd.DataFrame,
    run: dict[str, Any],
) -> Path:
    """Write every report file into *out_dir* (replaced as a whole); returns its path."""
    import pandas as pd

    out = Path(out_dir)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    except OSError as exc:
        raise VocError(f"cannot create the output folder {out}: {exc.strerror}") from exc
    try:
        (tmp / "index.html").write_text(render_html(model), encoding="utf-8")
        (tmp / "summary.md").write_text(render_markdown(model), encoding="utf-8")
        pd.DataFrame(
            model.theme_records(), columns=["theme_id", "label", "size", "share", "keywords", "quotes"]
        ).to_csv(tmp / "themes.csv", index=False, lineterminator="\n")
        assignments.to_csv(tmp / "assignments.csv", index=False, lineterminator="\n")
        rejected.to_csv(tmp / "rejected.csv", index=False, lineterminator="\n")
        (tmp / "run.json").write_text(json.dumps(run, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        os.chmod(tmp, 0o755)
        old = None
        if out.exists():
            old = out.parent / f".{out.name}.old-{os.getpid()}"
            os.replace(out, old)
        os.replace(tmp, out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise VocError(f"cannot write the report to {out}: {exc.strerror or exc}") from exc
    return out
