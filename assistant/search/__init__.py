"""Search: the packaged embedding model (torch or ONNX), the BM25 index, and hybrid retrieval with reranking."""
