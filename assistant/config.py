"""The one place for settings: defaults, overridden by `QA_*` environment variables or keyword arguments."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

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


@dataclass(frozen=True)
class Settings:
    """Every tunable of the product. Each field `name` is read from env `QA_NAME`."""

    # Storage
    store_path: Path = Path("data/store")
    chroma_url: str = ""  # e.g. http://127.0.0.1:8000 -> use a Chroma server instead of the embedded store
    chroma_token: str = ""
    collection: str = "qa_chunks"
    corpus_dir: Path = PROJECT_ROOT / "corpus"
    upload_dir: Path = Path("data/uploads")

    # Ingest
    chunk_chars: int = 900
    embed_batch: int = 8  # small length-sorted batches encode fastest on CPU here (bench/embedders.py)
    embed_backend: str = "auto"  # auto | torch | onnx | onnx-int8
    model_cache: Path = Path.home() / ".cache" / "doc-qa-models"  # where the local ONNX export is kept
    max_file_mb: int = 100

    # Retrieval and answering
    k: int = 5
    max_k: int = 20
    fetch_k: int = 40
    max_question_chars: int = 2000
    answer_sentences: int = 3
    min_support: float = 0.5
    meaning_threshold: float = 0.69  # how close a question's own words must be to a metric's name (cosine)
    answerer: str = "extractive"  # extractive | openai | llamacpp

    # Generative backends (issue: any OpenAI-compatible server)
    openai_base_url: str = ""
    openai_model: str = ""
    openai_api_key: str = field(default="", repr=False)
    llm_temperature: float = 0.0
    llm_timeout: float = 60.0
    llm_max_tokens: int = 400
    llamacpp_model_path: str = ""

    # Server
    host: str = "127.0.0.1"
    port: int = 7860
    api_token: str = field(default="", repr=False)
    max_upload_mb: int = 50

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        """Defaults, then `QA_*` environment variables, then explicit keyword overrides."""
        values: dict = {}
        for f in fields(cls):
            raw = os.environ.get(ENV_PREFIX + f.name.upper())
            if raw is not None:
                values[f.name] = _coerce(f.type, raw, f.name)
        if not values.get("openai_api_key"):
            values["openai_api_key"] = os.environ.get("OPENAI_API_KEY", "")
        unknown = set(overrides) - {f.name for f in fields(cls)}
        if unknown:
            raise TypeError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)
        return replace(settings, store_path=Path(settings.store_path), upload_dir=Path(settings.upload_dir),
                       corpus_dir=Path(settings.corpus_dir), model_cache=Path(settings.model_cache))

    @property
    def uses_server(self) -> bool:
        return bool(self.chroma_url)


def _coerce(type_name, raw: str, name: str):
    kind = type_name if isinstance(type_name, str) else getattr(type_name, "__name__", str(type_name))
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "Path":
            return Path(raw)
    except ValueError as exc:
        raise ValueError(f"{ENV_PREFIX}{name.upper()}={raw!r} is not a valid {kind}") from exc
    return raw
