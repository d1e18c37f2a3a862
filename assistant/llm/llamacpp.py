"""A local GGUF model through llama-cpp-python (optional extra `llamacpp`) as a LangChain chat model."""

from __future__ import annotations

from typing import Any
from collections.abc import Iterator

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict

_ROLES = {"system": "system", "human": "user", "ai": "assistant"}


class LlamaCppChat(BaseChatModel):
    """Chat completions from an in-process `llama_cpp.Llama`."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    llama: Any
    temperature: float = 0.0
    max_tokens: int = 400

    @classmethod
    def load(cls, model_path: str, context: int = 4096, threads: int = 2, **kwargs) -> LlamaCppChat:
        if not model_path:
            raise ValueError("QA_ANSWERER=llamacpp needs QA_LLAMACPP_MODEL_PATH (a .gguf file)")
        from llama_cpp import Llama

        return cls(llama=Llama(model_path=model_path, n_ctx=context, n_threads=threads, verbose=False), **kwargs)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp"

    def _messages(self, messages: list[BaseMessage]) -> list[dict]:
        return [{"role": _ROLES.get(m.type, "user"), "content": m.content} for m in messages]

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        out = self.llama.create_chat_completion(
            messages=self._messages(messages), temperature=self.temperature, max_tokens=self.max_tokens, stop=stop
        )
        text = out["choices"][0]["message"].get("content") or ""
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(self, messages, stop=None, run_manager=None, **kwargs) -> Iterator[ChatGenerationChunk]:
        for part in self.llama.create_chat_completion(
            messages=self._messages(messages),
            temperature=self.temperature,
            max_tokens=self.max_tokens,
            stop=stop,
            stream=True,
        ):
            piece = part["choices"][0]["delta"].get("content") or ""
            if piece:
                if run_manager:
                    run_manager.on_llm_new_token(piece)
                yield ChatGenerationChunk(message=AIMessageChunk(content=piece))
