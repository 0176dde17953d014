"""voc: Japanese voice-of-customer text → themes marketing can act on.

Importing voc is cheap: the heavy parts (pandas, scikit-learn, BERTopic, UMAP) load when first
used, so ``voc --help`` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "Config",
    "load_config",
    "read_export",
    "Tokenizer",
    "ThemeModel",
    "ThemeAnalysis",
    "run_report",
    "join_themes",
    "ThemeEditor",
    "VocError",
    "InputError",
    "ConfigError",
]

_LAZY = {
    "Config": "voc.config",
    "load_config": "voc.config",
    "read_export": "voc.read",
    "Tokenizer": "voc.tokenize",
    "ThemeModel": "voc.themes",
    "ThemeAnalysis": "voc.analysis",
    "run_report": "voc.pipeline",
    "join_themes": "voc.report.model",
    "ThemeEditor": "voc.edit",
    "VocError": "voc.errors",
    "InputError": "voc.errors",
    "ConfigError": "voc.errors",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'voc' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
