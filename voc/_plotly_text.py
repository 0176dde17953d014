"""Text that Plotly shows as written.

Plotly renders a markup of its own in every text of a figure (axis ticks, legend entries, hover
labels, titles, annotations): ``<b>``, ``<i>``, ``<br>``, ``<sup>``, ``<span style>`` and
``<a href>``, which becomes a link inside the SVG. It also decodes HTML entities there, so ``&lt;``
shows as ``<``. A theme name or a customer's note therefore goes into a figure through
:func:`plotly_text`, and a whole figure built from data through :func:`plotly_safe`, which leaves
only the templates (``hovertemplate``, ``texttemplate``) as voc wrote them.
"""

from __future__ import annotations

from typing import Any

__all__ = ["plotly_text", "plotly_safe", "TEMPLATE_KEYS"]

#: Figure keys whose strings are voc's own Plotly markup (``%{y}<br>…<extra></extra>``), not data.
TEMPLATE_KEYS = frozenset({"hovertemplate", "texttemplate"})


def plotly_text(text: str) -> str:
    """*text* with ``&``, ``<`` and ``>`` written as entities, so Plotly shows it as it is."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plotly_safe(figure: Any) -> Any:
    """A copy of a plotly figure dict (or any part of one) with every string passed through
    :func:`plotly_text`, except those under :data:`TEMPLATE_KEYS`."""
    if isinstance(figure, str):
        return plotly_text(figure)
    if isinstance(figure, dict):
        return {k: v if k in TEMPLATE_KEYS else plotly_safe(v) for k, v in figure.items()}
    if isinstance(figure, list | tuple):
        return [plotly_safe(v) for v in figure]
    return figure
