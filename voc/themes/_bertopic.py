"""BERTopic, imported without its plotting module (7.5 s of import time voc never uses)."""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

from voc.errors import DependencyError

__all__ = ["import_bertopic"]


class _DeferredPlotting(types.ModuleType):
    """Stands in for ``bertopic.plotting`` until one of its functions is used.

    BERTopic imports its plotting module at import time whenever plotly is installed (voc's theme
    browser ships plotly.js, so it is), and that pulls plotly's figure factory, UMAP and, in a
    Jupyter environment, nbformat/jsonschema: 7.5 s of import time (5.4 s of a 10,000-note
    ``voc report``, which never draws a BERTopic figure; docs/performance.md). voc reads nothing
    from that module; a user who calls ``model.topic_model_.visualize_*()`` gets the real module,
    loaded on first use.
    """

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name not in ("__path__", "__file__", "__all__"):
            raise AttributeError(name)  # probes such as __wrapped__ must not load plotly
        real = self.__dict__.get("_real")
        if real is None:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
            real = importlib.import_module(self.__name__)
            self.__dict__["_real"] = real
        return getattr(real, name)


def import_bertopic() -> Any:
    """The ``BERTopic`` class, with ``bertopic.plotting`` deferred until first used."""
    if "bertopic" not in sys.modules:  # only BERTopic's own import may bind the stand-in
        sys.modules.setdefault("bertopic.plotting", _DeferredPlotting("bertopic.plotting"))
    try:
        from bertopic import BERTopic
    except ImportError as exc:
        raise DependencyError(
            f"BERTopic is not importable ({exc}). Install it without its torch dependency: "
            "pip install -r requirements.lock && pip install --no-deps bertopic==0.17.4"
        ) from exc
    return BERTopic
