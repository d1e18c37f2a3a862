"""Document-grounded question answering with citations.

from assistant import Assistant
answer = Assistant().ask("How fast did the cloud segment's sales grow in 2024?")
"""

from importlib.metadata import PackageNotFoundError, version

from assistant.contract.types import Answer, Chunk, Citation, DocumentInfo, IngestReport

try:
    __version__ = version("doc-qa-assistant")  # the one place: pyproject.toml's [project] version
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["Answer", "Assistant", "Chunk", "Citation", "DocumentInfo", "IngestReport", "__version__"]


def __getattr__(name):
    if name == "Assistant":  # imported lazily so `import assistant` stays light
        from assistant.core import Assistant

        return Assistant
    raise AttributeError(name)
