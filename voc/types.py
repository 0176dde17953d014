"""Option types shared by the config, the stages and the CLI.

Each option with a fixed set of values is a ``Literal``; its allowed values are read from the type
(:func:`choices`) wherever they are needed (config validation, CLI choices and help, the generated
config reference), so that they are written once.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from voc.errors import ConfigError

__all__ = ["Clustering", "Reduction", "Naming", "NThemes", "PiiKind", "choices", "one_of", "parse_n_themes"]

#: How documents are grouped once embedded (:class:`voc.themes.cluster.ConsensusEMClusterer`).
Clustering = Literal["consensus-em", "consensus", "em", "kmeans"]
#: Reduce the embeddings with a seeded UMAP before clustering, or not.
Reduction = Literal["none", "umap"]
#: How themes and sub-themes are named: phrases customers wrote, or the top keywords joined.
Naming = Literal["phrases", "keywords"]
#: A number of themes (≥ 2) or ``"auto"``.
NThemes = int | Literal["auto"]
#: Kinds of personal data the clean stage can mask.
PiiKind = Literal["email", "phone", "url", "postal", "address", "name"]


def choices(literal: Any) -> tuple[str, ...]:
    """The allowed values of a ``Literal`` type, in the order written."""
    return tuple(get_args(literal))


def one_of(literal: Any) -> str:
    """``{'a', 'b'}``: the allowed values of a ``Literal`` for a "must be one of …" message."""
    return "{" + ", ".join(repr(v) for v in choices(literal)) + "}"


def parse_n_themes(value: Any) -> NThemes:
    """Turn ``"auto"``, ``"12"`` or ``12`` into ``"auto"`` or an int ≥ 2."""
    if value is None or value == "auto":
        return "auto"
    try:
        k = int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"n_themes must be 'auto' or an integer ≥ 2, got {value!r}") from None
    if k < 2 or isinstance(value, bool) or (isinstance(value, float) and value != k):
        raise ConfigError(f"n_themes must be 'auto' or an integer ≥ 2, got {value!r}")
    return k
