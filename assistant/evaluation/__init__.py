"""Evaluation: the project's question set and FinanceBench, scored with the metrics in `metrics.py`."""
