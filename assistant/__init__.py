"""Document-grounded question answering with citations.

    from assistant import Assistant
    answer = Assistant().ask("How fast did the cloud segment's sales grow in 2024?")
"""

from assistant.contract.types import Answer, Chunk, Citation, DocumentInfo, IngestReport

__all__ = ["Assistant", "Answer", "Chunk", "Citation", "DocumentInfo", "IngestReport"]


def __getattr__(name):
    if name == "Assistant":  # imported lazily so `import assistant` stays light
        from assistant.core import Assistant

        return Assistant
    raise AttributeError(name)
