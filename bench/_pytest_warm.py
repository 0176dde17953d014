"""pytest plugin for :mod:`bench.test_memory`: load what nearly every test file loads (the heavy
imports, chiVe vectors, the MeCab taggers) before the first test, so that ``pytest --rss``
attributes to a test file only what the file itself adds."""

from __future__ import annotations


def pytest_sessionstart(session: object) -> None:
    import bertopic  # noqa: F401
    import duckdb  # noqa: F401
    import sklearn.cluster  # noqa: F401

    import voc.pipeline  # noqa: F401
    from voc.clean import clean  # noqa: F401
    from voc.embed._vectors import load_chive
    from voc.naming import PhraseNamer
    from voc.tokenize import Tokenizer

    load_chive()
    tok = Tokenizer()
    tok.tokenize_many(["価格が高いので見送り"])
    tok.display_forms(["価格が高いので見送り"])
    PhraseNamer(n_jobs=1)._candidates(["価格が高いので見送り"])
