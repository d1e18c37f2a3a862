"""pdfium is not thread-safe, not even across documents: every pdfium call of the process (loading a PDF at
ingest, rendering a cited page) runs under this one lock."""

import threading

PDFIUM_LOCK = threading.RLock()
