"""Co-occurrence network (networkx) and its interactive drawing (plotly)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from voc.explore._common import Data, _related, _tokens

if TYPE_CHECKING:
    import networkx as nx

    from voc.tokenize import Tokenizer


# -- co-occurrence network -------------------------------------------------------------------------
def cooccurrence_network(
    data: Data,
    *,
    n_words: int = 80,
    min_df: int = 5,
    n_edges: int = 60,
    text_column: str = "text",
    tokens: Sequence[Sequence[str]] | None = None,
    tokenizer: Tokenizer | None = None,
    random_state: int = 42,
) -> nx.Graph:
    """A KH Coder-style co-occurrence network of the most frequent words.

    The *n_words* words with the highest document frequency (at least *min_df*) are linked by their
    Jaccard coefficient over documents; the *n_edges* strongest links are kept (pairs where one word
    contains the other are skipped), and communities are found with Louvain (seeded by
    *random_state*).

    Returns
    -------
    networkx.Graph
        Nodes are words with attributes ``df`` (documents) and ``community`` (0 = largest);
        edges have ``jaccard`` and ``count`` (documents holding both). ``G.graph["n_docs"]`` is the
        number of documents.
    """
    import networkx as nx
    import numpy as np
    from scipy.sparse import csr_matrix

    toks = _tokens(data, text_column, tokens, tokenizer)
    dfc: Counter[str] = Counter()
    for doc in toks:
        dfc.update(set(doc))
    vocab = [w for w, d in sorted(dfc.items(), key=lambda kv: (-kv[1], kv[0])) if d >= min_df][:n_words]
    G = nx.Graph(n_docs=len(toks))
    if len(vocab) < 2:
        return G
    col = {w: j for j, w in enumerate(vocab)}
    ri, ci = [], []
    for i, doc in enumerate(toks):
        for w in set(doc):
            if w in col:
                ri.append(i)
                ci.append(col[w])
    X = csr_matrix((np.ones(len(ri)), (ri, ci)), shape=(len(toks), len(vocab)))
    both = (X.T @ X).toarray()
    df = np.diag(both).copy()
    union = df[:, None] + df[None, :] - both
    jac = np.divide(both, union, out=np.zeros_like(both), where=union > 0)
    cand = [
        (jac[a, b], both[a, b], vocab[a], vocab[b])
        for a in range(len(vocab))
        for b in range(a + 1, len(vocab))
        if both[a, b] > 0 and not _related(vocab[a], vocab[b])
    ]
    cand.sort(key=lambda t: (-t[0], -t[1], t[2], t[3]))
    for j, c, a, b in cand[:n_edges]:
        G.add_edge(a, b, jaccard=float(j), count=int(c))
    for w in G.nodes:
        G.nodes[w]["df"] = int(dfc[w])
    comms = nx.community.louvain_communities(G, weight="jaccard", seed=random_state)
    comms = sorted(comms, key=lambda c: (-len(c), min(c)))
    for k, members in enumerate(comms):
        for w in members:
            G.nodes[w]["community"] = k
    return G


def plot_network(G: nx.Graph, *, title: str = "共起ネットワーク", random_state: int = 42, height: int = 650) -> Any:
    """Draw a :func:`cooccurrence_network` with plotly: node size by document frequency, colour by
    community, edge width by Jaccard; hover shows the counts. Returns a ``plotly.graph_objects.Figure``."""
    import networkx as nx
    import plotly.graph_objects as go
    from plotly.colors import qualitative

    if G.number_of_nodes() == 0:
        raise ValueError("the network has no nodes: lower min_df or raise n_words")
    pos = nx.spring_layout(G, weight="jaccard", seed=random_state, k=1.5 / math.sqrt(G.number_of_nodes()))
    palette = qualitative.Set2 + qualitative.Pastel1
    fig = go.Figure()
    for a, b, d in G.edges(data=True):
        (x0, y0), (x1, y1) = pos[a], pos[b]
        fig.add_trace(
            go.Scatter(
                x=[x0, x1],
                y=[y0, y1],
                mode="lines",
                hoverinfo="skip",
                showlegend=False,
                line={"width": 0.5 + 6 * d["jaccard"], "color": "#bbbbbb"},
            )
        )
    max_df = max(d["df"] for _, d in G.nodes(data=True))
    for k in sorted({d["community"] for _, d in G.nodes(data=True)}):
        words = [w for w, d in G.nodes(data=True) if d["community"] == k]
        fig.add_trace(
            go.Scatter(
                x=[pos[w][0] for w in words],
                y=[pos[w][1] for w in words],
                mode="markers+text",
                text=words,
                textposition="middle center",
                name=f"グループ {k + 1}",
                marker={
                    "size": [14 + 36 * math.sqrt(G.nodes[w]["df"] / max_df) for w in words],
                    "color": palette[k % len(palette)],
                    "line": {"width": 1, "color": "#555555"},
                },
                hovertext=[f"{w}<br>文書数 {G.nodes[w]['df']}<br>つながり {G.degree(w)}" for w in words],
                hoverinfo="text",
            )
        )
    fig.update_layout(
        title=title,
        height=height,
        plot_bgcolor="white",
        hovermode="closest",
        xaxis={"visible": False},
        yaxis={"visible": False},
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
    )
    return fig
