"""The metric a question names in its own words ('how much cash did its operations throw off', 'buying back its
own stock'), found by meaning: the question's phrase against every name of every vocabulary concept, with the
same sentence embedder that searches the documents. Used only when no name matches word for word, and only above
a similarity that everyday paraphrases reach and unrelated metrics do not."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import numpy as np

from assistant.finance.vocabulary import Concept, vocabulary

BATCH = 8  # small batches stay on the query-time encoder (no torch at question time)


class ConceptByMeaning:
    """Nearest vocabulary concept to a phrase; the names' vectors are computed once and kept on disk."""

    def __init__(self, embedder, cache_dir: Path, threshold: float):
        self.embedder = embedder
        self.cache_dir = Path(cache_dir)
        self.threshold = threshold
        self._names: list[tuple[str, str]] = [
            (c.key, n) for c in vocabulary().concepts.values() for n in dict.fromkeys((c.label, *c.names)) if n
        ]
        self._vectors: np.ndarray | None = None
        self._lock = threading.Lock()

    def match(self, phrase: str) -> Concept | None:
        """The concept whose name is closest in meaning to the phrase, when close enough."""
        if not phrase.strip():
            return None
        vectors = self._name_vectors()
        query = np.asarray(self.embedder.embed_query(phrase), dtype="float32")
        scores = vectors @ query
        best = int(np.argmax(scores))
        if float(scores[best]) < self.threshold:
            return None
        return vocabulary().concepts[self._names[best][0]]

    def _name_vectors(self) -> np.ndarray:
        with self._lock:
            if self._vectors is None:
                path = self.cache_dir / f"concept-names-{self._signature()}.npy"
                if path.exists():
                    self._vectors = np.load(path)
                else:
                    texts = [n for _, n in self._names]
                    parts = [
                        np.asarray(self.embedder.encode(texts[i : i + BATCH]), dtype="float32")
                        for i in range(0, len(texts), BATCH)
                    ]
                    self._vectors = np.concatenate(parts) if parts else np.zeros((0, 1), dtype="float32")
                    self.cache_dir.mkdir(parents=True, exist_ok=True)
                    np.save(path, self._vectors)
            return self._vectors

    def _signature(self) -> str:
        model = getattr(self.embedder, "model_id", type(self.embedder).__name__)
        text = "\n".join(f"{k}\t{n}" for k, n in self._names) + f"\n{model}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]
