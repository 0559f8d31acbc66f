"""Reproducible training and mining from annotated corpora (``make train``)."""
