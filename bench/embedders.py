"""Embedding backends side by side on real chunks: throughput and agreement with sentence-transformers.

    python -m bench.embedders --store data/store [--n 320]
"""

from __future__ import annotations

import argparse
import time

from assistant.config import Settings, apply_offline_env
from assistant.embeddings import PackagedEmbeddings
from assistant.store import ChunkStore


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", default="data/store")
    parser.add_argument("--n", type=int, default=320)
    args = parser.parse_args()
    apply_offline_env()
    store = ChunkStore(Settings.from_env(store_path=args.store, chroma_url=""))
    texts = [chunk.search_text() for chunk, _ in store.all_chunks()][: args.n]
    reference = None
    for backend in ("torch", "onnx", "onnx-int8"):
        embedder = PackagedEmbeddings(backend=backend)
        embedder.encode(["warm up"])
        start = time.perf_counter()
        vectors = embedder.encode(texts)
        rate = len(texts) / (time.perf_counter() - start)
        reference = vectors if reference is None else reference
        cosine = (vectors * reference).sum(axis=1)
        print(f"{backend:>10}: {rate:6.1f} chunks/s, cosine to torch min {cosine.min():.4f} mean {cosine.mean():.4f}")


if __name__ == "__main__":
    main()
