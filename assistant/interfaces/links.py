"""Short-lived signed links to a document's evidence (its original file, its page images), so the chat can show
them when the API requires a token: the link carries an expiry and an HMAC of its path keyed by the API token,
and opens that one path until it expires, nothing else. Without a token the links are plain paths."""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from urllib.parse import quote, urlencode

API_PREFIX = "api"  # where the chat's page mounts the API (links are relative to the page)


class LinkSigner:
    """Signs and checks links for one API token; `seconds` is how long a link works (at least)."""

    def __init__(self, token: str, seconds: int):
        self.key = hashlib.sha256(b"evidence-links\0" + token.encode()).digest() if token else b""
        self.seconds = seconds

    def link(self, doc_id: str, what: str, now: float | None = None) -> str:
        """A link the chat's page can open to a document's `what` ('file', 'pages/3'):
        'api/documents/x/pages/3?expires=...&signature=...'. The expiry is rounded up to a whole step, so a page
        keeps the same link for a while and the browser's cache keeps its image."""
        link = f"{API_PREFIX}/documents/{quote(doc_id, safe='')}/{what}"
        if not self.key:
            return link
        step = max(1, self.seconds // 4)
        expires = math.ceil(((now if now is not None else time.time()) + self.seconds) / step) * step
        signature = self._signature(f"/documents/{doc_id}/{what}", expires)
        return f"{link}?{urlencode({'expires': expires, 'signature': signature})}"

    def valid(self, path: str, expires: str | None, signature: str | None, now: float | None = None) -> bool:
        """Whether a signature opens `path` (relative to the API, as routed: '/documents/x/file'): made with this
        token, for this path, and not expired."""
        if not (self.key and expires and signature and expires.isdigit()):
            return False
        if int(expires) < (now if now is not None else time.time()):
            return False
        return hmac.compare_digest(signature, self._signature(path, int(expires)))

    def _signature(self, path: str, expires: int) -> str:
        return hmac.new(self.key, f"{path}\n{expires}".encode(), hashlib.sha256).hexdigest()
