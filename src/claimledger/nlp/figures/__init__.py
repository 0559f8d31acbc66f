"""Figures inside a span of text: counts, fractions of an earlier figure, approximations,
what is counted (subject) and what happened to it (measure).

Works on the parse: a number is tied to the noun it counts (``nummod``) and the noun to
its predicate, so "2G phones" or "AK-12" are never taken for counts. The package is read
in the order of a figure's reading: :mod:`.finding` finds the figures and their counted
nouns, :mod:`.numbers` reads a number phrase into an interval (with
:mod:`claimledger.nlp.amounts`), :mod:`.measure` decides what happened to the counted
thing, :mod:`.modality` whether it is a count of what happened (or a projection, a
possibility, a condition) and whether it is a rate, and :mod:`.subject` names it;
:mod:`.vocabulary` holds the words they read.
"""

from claimledger.nlp.figures.finding import find_durations, find_figures
from claimledger.nlp.figures.numbers import parse_number, read_amount
from claimledger.nlp.figures.raw import RawFigure

__all__ = ["RawFigure", "find_durations", "find_figures", "parse_number", "read_amount"]
