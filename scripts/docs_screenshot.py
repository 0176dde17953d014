"""Regenerate the README screenshot docs/theme-browser.png: the top of a report's index.html.

    .venv/bin/voc report --config corpus/voc.toml --out /tmp/voc-shot
    .venv/bin/python scripts/docs_screenshot.py /tmp/voc-shot/index.html

Headless Chromium through Playwright (requirements-dev.lock), 1280 px wide, the top 840 px of the
page, written as a palette PNG (Pillow) to keep it small. ``--chromium`` names the browser binary
(default /usr/bin/chromium, the Debian package of system-packages.txt).
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index", type=Path, help="index.html of a report folder")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "theme-browser.png")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=840)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()

    from PIL import Image
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        page.goto(args.index.resolve().as_uri())
        page.wait_for_load_state("networkidle")
        png = page.screenshot(clip={"x": 0, "y": 0, "width": args.width, "height": args.height})
        browser.close()
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=128)
    args.out.parent.mkdir(exist_ok=True)
    image.save(args.out, optimize=True)
    print(f"{args.out} ({args.out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
