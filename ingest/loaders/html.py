"""HTML and SEC EDGAR filings: hidden XBRL and scripts dropped, headings and table rows kept, as Markdown-like text."""

from __future__ import annotations

import re

from assistant.contract.errors import LoadError
from ingest.loaders.base import LoadedFile
from ingest.loaders.markdown import load_markdown

_DROP = (
    "script, style, noscript, template, head, ix\\:header, [style*='display:none'], [style*='display: none'], [hidden]"
)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*?(/?)>")
_VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]
)
MAX_DEPTH = 1000  # real pages stay far below; a parser's cost grows with depth squared
_BLOCKS = "p, div, br, li, section, article, blockquote, pre, dt, dd, h1, h2, h3, h4, h5, h6, tr"


def load_html(raw: str) -> LoadedFile:
    """Parse with lexbor (no recursion, safe on deep nesting) and hand Markdown-like text to the Markdown loader."""
    from selectolax.lexbor import LexborHTMLParser

    if nesting_depth(raw, MAX_DEPTH) > MAX_DEPTH:
        raise LoadError(f"HTML nested more than {MAX_DEPTH} levels deep; refusing to parse it.")
    try:
        tree = LexborHTMLParser(raw)
    except Exception as exc:  # lexbor rejects a few malformed inputs outright
        raise LoadError(f"not parseable as HTML ({exc})") from exc
    title_node = tree.css_first("title")
    title = title_node.text(strip=True) if title_node else ""
    for node in tree.css(_DROP):
        node.decompose()
    for row in tree.css("tr"):
        cells = [c.text(separator=" ", strip=True) for c in row.css("td, th")]
        cells = [c for c in cells if c and c not in ("$", ")", "%")]
        row.replace_with(("| " + " | ".join(cells) + " |\n") if cells else "\n")
    for level in range(1, 7):
        for node in tree.css(f"h{level}"):
            node.replace_with(f"\n{'#' * level} {node.text(separator=' ', strip=True)}\n")
    for node in tree.css(_BLOCKS):
        node.insert_after("\n")
    body = tree.body or tree.root
    text = body.text(separator="") if body is not None else ""
    loaded = load_markdown(text)
    loaded.title = title or loaded.title
    return loaded


def nesting_depth(raw: str, limit: int) -> int:
    """Maximum element nesting depth, counted by a tag scan that stops as soon as it passes `limit`."""
    depth = deepest = 0
    for match in _TAG.finditer(raw):
        closing, name, self_closing = match.groups()
        if closing:
            depth = max(0, depth - 1)
        elif not self_closing and name.lower() not in _VOID:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
    return deepest
