"""Write ``voc/data/surnames_ja.txt``: Japanese surnames that unidic-lite does not list as 姓.

    pip install sudachipy==0.7.0 sudachidict_core==20261015   # in a scratch venv, not voc's
    PYTHONPATH=. python scripts/make_surnames.py

Source: SudachiDict core (Works Applications, Apache License 2.0), every lexicon entry tagged
名詞,固有名詞,人名,姓, kanji only (1-4 characters). Entries that unidic-lite already lists as a
surname are left out: :func:`voc._names._name_entries` finds those in UniDic itself. No entry is
added by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "voc" / "data" / "surnames_ja.txt"
KANJI = re.compile(r"^[\u4e00-\u9fff々ヶ]{1,4}$")
HEADER = """\
# Japanese surnames (姓) that unidic-lite does not list as one: name masking (voc/_names.py) reads
# them as possible surnames. Derived by scripts/make_surnames.py from SudachiDict core 20261015
# (Copyright Works Applications Co., Ltd., Apache License 2.0, https://github.com/WorksApplications/SudachiDict):
# its entries tagged 名詞,固有名詞,人名,姓, kanji only, 1-4 characters. No entry added by hand.
# The license: surnames_ja_LICENSE.txt beside this file.
"""


def main() -> None:
    from sudachipy import Dictionary

    from voc._names import _name_entries

    names = set()
    for m in Dictionary(dict="core").entries():
        pos = m.part_of_speech()
        if pos[1:4] == ("固有名詞", "人名", "姓") and KANJI.match(m.surface()):
            names.add(m.surface())
    new = sorted(w for w in names if "姓" not in _name_entries(w))
    OUT.write_text(HEADER + "\n".join(new) + "\n", encoding="utf-8", newline="\n")
    print(f"{len(names)} surnames in SudachiDict core, {len(new)} not in unidic-lite -> {OUT}")


if __name__ == "__main__":
    main()
