"""Linguistic annotation: the spaCy pipeline every later stage reads."""

from sitrep.nlp.annotate import annotate, annotate_many
from sitrep.nlp.model import load_model

__all__ = ["annotate", "annotate_many", "load_model"]
