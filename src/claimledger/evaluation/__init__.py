"""Accuracy measurement against annotated corpora (PolNeAR)."""
