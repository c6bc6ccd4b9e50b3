"""The routing classifier: character n-gram TF-IDF (and, when an encoder is given, e5 sentence
vectors) into a multinomial logistic regression, fitted at start-up on the tuning part of the
labelled set plus each category's keywords. Fitting takes about a second; nothing is pickled.

``predict`` gives the category and the model's probability for it; below ``threshold`` the router
sends the request to the 12345 dispatch desk instead of guessing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from routing.classify.taxonomy import Category, labelled, routable

# Chosen by 5-fold cross-validation on the tuning part only (`lifebot bench route --tune`).
THRESHOLD = 0.2
# Also chosen on the tuning part: e5 vectors (weight 3 beside the unit-length TF-IDF row) add about
# a point over characters alone; the API passes its search encoder, so nothing extra is loaded.
DENSE_WEIGHT = 3.0
USE_ENCODER = True


class RequestClassifier:
    name = "分类模型"

    def __init__(self, encoder: Any | None = None, threshold: float = THRESHOLD, c: float = 20.0):
        self.encoder = encoder
        self.threshold = threshold
        self.c = c
        self._vectorizer: Any = None
        self._model: Any = None

    @classmethod
    def trained(cls, encoder: Any | None = None, cats: list[Category] | None = None,
                examples: list[dict[str, str]] | None = None, **options: Any) -> RequestClassifier:
        """Fitted on the tuning part of the labelled set and the categories' keywords."""
        examples = labelled("tune") if examples is None else examples
        texts = [e["text"] for e in examples]
        labels = [e["category"] for e in examples]
        for cat in cats if cats is not None else routable():
            texts.extend(cat.keywords)
            labels.extend([cat.name] * len(cat.keywords))
        return cls(encoder, **options).fit(texts, labels)

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> RequestClassifier:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self._vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=1)
        features = self._features(texts, fit=True)
        self._model = LogisticRegression(C=self.c, max_iter=3000)
        self._model.fit(features, list(labels))
        return self

    def _features(self, texts: Sequence[str], fit: bool = False) -> Any:
        from scipy import sparse

        lexical = self._vectorizer.fit_transform(texts) if fit else self._vectorizer.transform(texts)
        if self.encoder is None:
            return lexical
        dense = np.asarray(self.encoder.query(list(texts)), dtype=np.float32) * DENSE_WEIGHT
        return sparse.hstack([lexical, sparse.csr_matrix(dense)]).tocsr()

    def probabilities(self, texts: Sequence[str]) -> list[dict[str, float]]:
        proba = self._model.predict_proba(self._features(texts))
        return [dict(zip(self._model.classes_, map(float, row), strict=True)) for row in proba]

    def predict(self, text: str) -> tuple[str, float]:
        probs = self.probabilities([text])[0]
        category = max(probs, key=probs.get)
        return category, probs[category]
