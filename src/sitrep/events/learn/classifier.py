"""The sentence event classifier: does a sentence report an event, and which sub-event type.

The model is a scikit-learn pipeline (an encoder from `features`, then a multinomial
logistic regression) trained by `sitrep corpus train` on the annotated corpus and committed
next to this module with its card (data hash, date, cross-validated scores). Loading it
needs nothing from the network and nothing from ../shared.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from sitrep.errors import ModelError

#: The label of a sentence that reports no event.
NO_EVENT = "no event"

MODEL_DIR = Path(__file__).with_name("model")
MODEL_FILE = MODEL_DIR / "classifier.joblib"
CARD_FILE = MODEL_DIR / "card.json"


class Prediction(BaseModel):
    """The model's reading of one sentence."""

    #: A sub-event type, or NO_EVENT.
    label: str
    #: The probability of that label.
    probability: float
    #: The probability that the sentence reports some event (1 - P(no event)).
    event_probability: float


class EventClassifier:
    """A trained pipeline with its card; `predict` reads sentences."""

    def __init__(self, pipeline: Any, card: dict[str, Any]) -> None:
        classes = [str(name) for name in getattr(pipeline, "classes_", [])]
        if NO_EVENT not in classes:
            raise ModelError(f"the classifier has no {NO_EVENT!r} class; retrain it")
        _lay_weights_for_sparse_rows(pipeline)
        self.pipeline = pipeline
        self.card = card
        self.classes = classes
        self._no_event = classes.index(NO_EVENT)

    @classmethod
    def load(cls, model_file: Path = MODEL_FILE, card_file: Path = CARD_FILE) -> EventClassifier:
        """The committed model (or another one); ModelError if it is missing or unreadable."""
        import joblib

        if not model_file.is_file():
            raise ModelError(f"no event classifier at {model_file}; build it with `make train`")
        try:
            pipeline = joblib.load(model_file)
            card = json.loads(card_file.read_text(encoding="utf-8")) if card_file.is_file() else {}
        except Exception as exc:  # a pickle can fail in many ways; all mean "retrain"
            raise ModelError(
                f"cannot load the event classifier {model_file}: {exc}; rebuild it with "
                "`make train` (scikit-learn versions must match)"
            ) from exc
        return cls(pipeline, card)

    def predict(self, sentences: Sequence[str]) -> list[Prediction]:
        """One prediction per sentence, in order."""
        if not sentences:
            return []
        probabilities = self.pipeline.predict_proba(list(sentences))
        predictions = []
        for row in probabilities:
            best = int(row.argmax())
            predictions.append(
                Prediction(
                    label=self.classes[best],
                    probability=float(row[best]),
                    event_probability=float(1.0 - row[self._no_event]),
                )
            )
        return predictions


def _lay_weights_for_sparse_rows(pipeline: Any) -> None:
    """Store each linear model's weights column-major. A decision multiplies a few sparse
    rows by the transposed weights: scipy copies a transposed row-major matrix first, which
    costs more than the product (3 ms a call for our 26 x 45,000 weights). Same numbers."""
    import numpy as np

    for step in getattr(pipeline, "steps", []):
        for calibrated in getattr(step[1], "calibrated_classifiers_", []):
            model = calibrated.estimator
            if hasattr(model, "coef_"):
                model.coef_ = np.asfortranarray(model.coef_)
