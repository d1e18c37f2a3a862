"""Generative answers: an OpenAI-compatible server or a local llama.cpp model, checked sentence by sentence."""
