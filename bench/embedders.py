"""Embedding backends and batch sizes side by side on real chunks: throughput and agreement with
sentence-transformers (torch, batch 64 is the reference).

    python -m bench.embedders --store data/store [--n 320] [--batches 4,8,16,64]
"""

from __future__ import annotations

import argparse
import time

from assistant.config import Settings, apply_offline_env
from assistant.search.embeddings import PackagedEmbeddings
from assistant.store.chunks import ChunkStore
from ingest.pipeline import distinct_embedding_texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", default="data/store")
    parser.add_argument("--n", type=int, default=320)
    parser.add_argument("--batches", default="4,8,16,64", help="comma-separated batch sizes to try")
    args = parser.parse_args()
    apply_offline_env()
    store = ChunkStore(Settings.from_env(store_path=args.store, chroma_url=""))
    chunks = [chunk for chunk, _ in store.all_chunks()][: args.n]
    texts = distinct_embedding_texts(chunks)
    reference = PackagedEmbeddings(backend="torch", batch_size=64).encode(texts)
    for backend in ("torch", "onnx", "onnx-int8"):
        for size in (int(b) for b in args.batches.split(",")):
            embedder = PackagedEmbeddings(backend=backend, batch_size=size)
            embedder.encode(["warm up"])
            start = time.perf_counter()
            vectors = embedder.encode(texts)
            rate = len(texts) / (time.perf_counter() - start)
            cosine = (vectors * reference).sum(axis=1)
            print(
                f"{backend:>10} batch {size:>3}: {rate:6.1f} chunks/s, cosine to reference min {cosine.min():.4f} "
                f"mean {cosine.mean():.4f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
