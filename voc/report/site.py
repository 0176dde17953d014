"""Write the theme browser (a static site) into a report folder.

Layout (relative links only, so the folder works from ``file://`` and from any web server)::

    index.html              theme table, charts, changes since the last run
    themes/<id>.html        one page per theme
    assets/voc.css          styles (system Japanese fonts)
    assets/voc.js           sorting, filtering, quote search, charts
    assets/plotly.min.js    plotly.js, copied from the installed ``plotly`` package (no CDN)

Every page carries a Content-Security-Policy that allows scripts and styles from the folder only
and no network connection at all.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

from voc.errors import VocError
from voc.report.html import _env, render_index, render_theme_page
from voc.report.model import ReportModel

__all__ = ["site_files", "write_site", "plotly_js_path", "SITE_ASSETS"]

SITE_ASSETS = ("voc.css", "voc.js", "plotly.min.js")

Writer = Callable[[Path, "str | bytes"], None]


def _plain_write(path: Path, data: str | bytes) -> None:
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8", newline="")


def plotly_js_path() -> Path:
    """``plotly.min.js`` shipped inside the installed ``plotly`` package (found without importing it)."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise VocError("the theme browser needs plotly.js from the 'plotly' package: pip install plotly==7.1.0")
    for location in spec.submodule_search_locations:
        path = Path(location) / "package_data" / "plotly.min.js"
        if path.is_file():
            return path
    raise VocError(
        "plotly.min.js is missing from the installed 'plotly' package (expected plotly/package_data/plotly.min.js); "
        "reinstall it: pip install --force-reinstall plotly==7.1.0"
    )


def _asset(name: str) -> bytes:
    from importlib.resources import files

    return (files("voc.report") / "templates" / name).read_bytes()


def site_files(model: ReportModel) -> dict[str, str | bytes]:
    """Every file of the site as ``{relative path: content}``, ``index.html`` first.

    Pages are ``str`` (UTF-8 when written), assets ``bytes``.
    """
    env = _env()
    files: dict[str, str | bytes] = {"index.html": render_index(model, env=env)}
    for theme in model.themes:
        files[f"themes/{int(theme.theme_id)}.html"] = render_theme_page(model, theme, env=env)
    files["assets/voc.css"] = _asset("voc.css")
    files["assets/voc.js"] = _asset("voc.js")
    files["assets/plotly.min.js"] = plotly_js_path().read_bytes()
    return files


def write_site(folder: str | Path, model: ReportModel, *, write: Writer | None = None) -> list[Path]:
    """Write :func:`site_files` into *folder* (which must exist); returns the paths written.

    *write* is called as ``write(path, text_or_bytes)`` for every file (e.g. a writer that fsyncs);
    the default writes plainly.
    """
    out = Path(folder)
    write = write or _plain_write
    written: list[Path] = []
    for rel, data in site_files(model).items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        write(path, data)
        written.append(path)
    return written
