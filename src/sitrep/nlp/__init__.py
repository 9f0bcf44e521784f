"""Linguistic annotation: the spaCy pipeline every later stage reads."""

from sitrep.nlp.annotate import annotate, annotate_many, annotation_pipeline
from sitrep.nlp.model import load_model

__all__ = ["annotate", "annotate_many", "annotation_pipeline", "load_model"]
