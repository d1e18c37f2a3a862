"""The one place for settings: one `Settings` object with nested groups (store, embedding, ingest, retrieval,
answering, llm, server, limits), read from `QA_*` environment variables and keyword overrides.

Every setting has a flat environment name, `QA_` plus the name in `FLAT_NAMES` (`QA_STORE_PATH`, `QA_K`,
`QA_API_TOKEN`); the nested form `QA_STORE__PATH` works too. Code reads `settings.store.path`,
`settings.retrieval.k`, ..."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "QA_"

# Offline and private by default: no telemetry, no model hub look-ups.
OFFLINE_ENV = {
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "TRANSFORMERS_VERBOSITY": "error",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
}


def apply_offline_env() -> None:
    """Switch off telemetry and hub look-ups for every library we load (keeps user overrides)."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)


class _Group(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StoreSettings(_Group):
    path: Path = Path("data/store")
    chroma_url: str = ""  # e.g. http://127.0.0.1:8000: use a Chroma server instead of the embedded store
    chroma_token: str = Field(default="", repr=False)
    collection: str = "qa_chunks"
    corpus_dir: Path = PROJECT_ROOT / "corpus"
    upload_dir: Path = Path("data/uploads")


class EmbeddingSettings(_Group):
    batch: int = Field(default=8, ge=1)  # small length-sorted batches encode fastest on CPU here (bench/embedders.py)
    backend: Literal["auto", "torch", "onnx", "onnx-int8"] = "auto"
    model_cache: Path = Path.home() / ".cache" / "doc-qa-models"  # the local ONNX export and other derived files


class IngestSettings(_Group):
    chunk_chars: int = Field(default=900, ge=100)


class RetrievalSettings(_Group):
    k: int = Field(default=5, ge=1)
    max_k: int = Field(default=20, ge=1)
    fetch_k: int = Field(default=40, ge=1)
    scoped: bool = True  # a figure question's stating passages (by the facts index) come first


class AnsweringSettings(_Group):
    answerer: Literal["extractive", "openai", "llamacpp"] = "extractive"
    sentences: int = Field(default=3, ge=1)  # quoted sentences in an extractive answer
    min_support: float = Field(default=0.5, ge=0, le=1)  # share of a question's terms a quoted sentence must hold
    meaning_threshold: float = Field(default=0.69, ge=0, le=1)  # cosine a metric named in other words must reach


class LLMSettings(_Group):
    openai_base_url: str = ""
    openai_model: str = ""
    openai_api_key: str = Field(default="", repr=False)
    temperature: float = 0.0
    timeout: float = 60.0
    max_tokens: int = 400
    context: int = Field(default=0, ge=0)  # tokens the served model's context holds (0: unknown, passages not trimmed)
    llamacpp_model_path: str = ""
    llamacpp_context: int = 4096  # tokens of context the llama.cpp model is loaded with
    llamacpp_threads: int = Field(default_factory=lambda: os.cpu_count() or 2)


class ServerSettings(_Group):
    host: str = "127.0.0.1"
    port: int = 7860
    api_token: str = Field(default="", repr=False)
    link_seconds: int = Field(default=900, ge=30)  # how long a signed link to a document's file or page works


class LimitsSettings(_Group):
    max_question_chars: int = 2000
    max_upload_mb: int = 50
    max_file_mb: int = 100


# The flat name of every setting: its environment variable is QA_<NAME>, and Settings.from_env(name=...) sets it.
FLAT_NAMES: dict[str, tuple[str, str]] = {
    "store_path": ("store", "path"),
    "chroma_url": ("store", "chroma_url"),
    "chroma_token": ("store", "chroma_token"),
    "collection": ("store", "collection"),
    "corpus_dir": ("store", "corpus_dir"),
    "upload_dir": ("store", "upload_dir"),
    "embed_batch": ("embedding", "batch"),
    "embed_backend": ("embedding", "backend"),
    "model_cache": ("embedding", "model_cache"),
    "chunk_chars": ("ingest", "chunk_chars"),
    "k": ("retrieval", "k"),
    "max_k": ("retrieval", "max_k"),
    "fetch_k": ("retrieval", "fetch_k"),
    "scoped_search": ("retrieval", "scoped"),
    "answerer": ("answering", "answerer"),
    "answer_sentences": ("answering", "sentences"),
    "min_support": ("answering", "min_support"),
    "meaning_threshold": ("answering", "meaning_threshold"),
    "openai_base_url": ("llm", "openai_base_url"),
    "openai_model": ("llm", "openai_model"),
    "openai_api_key": ("llm", "openai_api_key"),
    "llm_temperature": ("llm", "temperature"),
    "llm_timeout": ("llm", "timeout"),
    "llm_max_tokens": ("llm", "max_tokens"),
    "llm_context": ("llm", "context"),
    "llamacpp_model_path": ("llm", "llamacpp_model_path"),
    "llamacpp_context": ("llm", "llamacpp_context"),
    "llamacpp_threads": ("llm", "llamacpp_threads"),
    "host": ("server", "host"),
    "port": ("server", "port"),
    "api_token": ("server", "api_token"),
    "link_seconds": ("server", "link_seconds"),
    "max_question_chars": ("limits", "max_question_chars"),
    "max_upload_mb": ("limits", "max_upload_mb"),
    "max_file_mb": ("limits", "max_file_mb"),
}


class Settings(BaseSettings):
    """Every tunable of the product, in groups."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_nested_delimiter="__", frozen=True, extra="forbid")

    store: StoreSettings = StoreSettings()
    embedding: EmbeddingSettings = EmbeddingSettings()
    ingest: IngestSettings = IngestSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    answering: AnsweringSettings = AnsweringSettings()
    llm: LLMSettings = LLMSettings()
    server: ServerSettings = ServerSettings()
    limits: LimitsSettings = LimitsSettings()

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        """Defaults, then `QA_*` environment variables (flat or nested names), then keyword overrides by flat name
        (`store_path=...`); `OPENAI_API_KEY` fills the LLM key when `QA_OPENAI_API_KEY` is not set."""
        unknown = set(overrides) - set(FLAT_NAMES)
        if unknown:
            raise TypeError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        flat = {
            name: os.environ[ENV_PREFIX + name.upper()]
            for name in FLAT_NAMES
            if ENV_PREFIX + name.upper() in os.environ
        }
        if "openai_api_key" not in flat and os.environ.get("OPENAI_API_KEY"):
            flat["openai_api_key"] = os.environ["OPENAI_API_KEY"]
        flat.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return cls(**_nested(flat))
        except ValidationError as exc:
            raise ValueError(_describe(exc)) from None

    def updated(self, **flat: Any) -> Settings:
        """A copy with some settings changed, by flat name."""
        data = self.model_dump()
        for group, values in _nested(flat).items():
            data[group].update(values)
        return type(self).model_validate(data)

    @property
    def uses_server(self) -> bool:
        return bool(self.store.chroma_url)


def _nested(flat: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name, value in flat.items():
        group, field = FLAT_NAMES[name]
        out.setdefault(group, {})[field] = value
    return out


def _describe(exc: ValidationError) -> str:
    """'QA_K='abc' is not valid: Input should be a valid integer' for the first bad setting."""
    reverse = {v: k for k, v in FLAT_NAMES.items()}
    error = exc.errors()[0]
    where = tuple(str(p) for p in error["loc"][:2])
    name = ENV_PREFIX + reverse.get(where, "_".join(where)).upper()
    return f"{name}={error.get('input')!r} is not valid: {error['msg']}"
