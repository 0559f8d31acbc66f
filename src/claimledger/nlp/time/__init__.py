"""Time expressions: the words (``vocabulary``, from ``data/lexicon/time.toml``), the pure
resolver (``resolve``), the token patterns (``patterns``) and the ``claimledger_timex``
pipeline component that finds them (``component``: ``find_time_spans``, ``SPAN_KEY``).

Importing this package, or the resolver, loads no spaCy: the component's module does.
"""

from claimledger.nlp.time.resolve import Granularity, Kind, TimeValue, resolve_time

__all__ = ["Granularity", "Kind", "TimeValue", "resolve_time"]
