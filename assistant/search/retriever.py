"""The assistant's search as a LangChain `BaseRetriever`, so it composes with any LangChain chain."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict


class HybridRetriever(BaseRetriever):
    """Each query is understood and planned the way `ask` plans it; documents carry the chunk metadata plus
    `score` and `chunk_id`."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    passages: Any  # (question, k, doc_ids) -> list[ScoredChunk]
    k: int = 5
    doc_ids: list[str] | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        hits = self.passages(query, self.k, self.doc_ids)
        return [
            Document(
                page_content=h.chunk.text,
                id=h.chunk.id,
                metadata=dict(h.chunk.metadata(), chunk_id=h.chunk.id, score=h.score),
            )
            for h in hits
        ]
