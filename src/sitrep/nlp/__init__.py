"""Linguistic annotation: the spaCy pipeline every later stage reads."""

from sitrep.nlp.model import load_model

__all__ = ["load_model"]
