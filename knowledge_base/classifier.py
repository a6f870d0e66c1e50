"""Which article a question is about, learnt from the articles' own question forms.

Nearest-neighbour cosine (knowledge_base/meaning.py) ranks an article by its single closest question
form; sibling articles (the worker's one-year deadline and the authority's 60 days) then score within
a hair of each other. Two classifiers trained on all of an article's forms at once separate them
better, because they learn what tells one article's forms from its neighbours':
  * linear discriminant analysis on the forms' sentence vectors (one shared, shrunk covariance);
  * multinomial naive Bayes on character uni- and bigrams (TF-IDF), which keeps a rare telling word
    (「派遣」「哺乳」) that the embedding blurs.
Both are closed-form, so training on some 3,300 forms takes well under a second and an edited article
is taken in at once. They are written out in NumPy rather than taken from scikit-learn: importing
scikit-learn and SciPy adds about 100 MB to every app process for these two small models.

On the dev sets (tests/data/kb_blind.yml, bench/data/kb_dev_3.yml), retrieval alone, the right article
first: 90.1 → 92.7 % and 83.8 → 89.6 %. Digits are left out of the character features: 「12333」 in
「打了12333 多久处理」 is the number called, not the subject asked about.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from knowledge_base.synonyms import fold

SHRINKAGE = 0.1  # of the pooled covariance toward a scaled identity (3,300 forms, 384 dimensions)
SMOOTHING = 0.1  # naive Bayes's additive smoothing of the character features
NGRAMS = (1, 2)
WHITESPACE = re.compile(r"\s+")
DIGITS = re.compile(r"\d+")


def standardised(values: np.ndarray) -> np.ndarray:
    """Scores on a common scale across articles (mean 0, deviation 1), so that rankers can be added."""
    return (values - values.mean()) / (values.std() + 1e-9)


class DiscriminantOnVectors:
    """Linear discriminant analysis with a shrunk pooled covariance: each article is a Gaussian around
    the mean of its forms' vectors, all sharing one covariance."""

    def __init__(self, vectors: np.ndarray, owners: np.ndarray, classes: int) -> None:
        x = vectors.astype(np.float64)
        counts = np.bincount(owners, minlength=classes).astype(np.float64)
        means = np.zeros((classes, x.shape[1]))
        np.add.at(means, owners, x)
        means /= np.maximum(counts, 1.0)[:, None]
        centred = x - means[owners]
        pooled = centred.T @ centred / len(x)
        dim = pooled.shape[0]
        scale = np.trace(pooled) / dim or 1.0  # every article only its title: no spread to learn from
        covariance = (1 - SHRINKAGE) * pooled + SHRINKAGE * scale * np.eye(dim)
        self._coef = np.linalg.solve(covariance, means.T).T  # (classes, dim)
        priors = np.log(np.maximum(counts, 1.0) / counts.sum())
        self._intercept = -0.5 * np.einsum("ij,ij->i", means, self._coef) + priors

    def scores(self, vector: np.ndarray) -> np.ndarray:
        """Each article's discriminant (a log-likelihood up to a constant) for the question's vector."""
        return np.einsum("ij,j->i", self._coef, vector.astype(np.float64)) + self._intercept


def _grams(text: str) -> list[str]:
    folded = WHITESPACE.sub(" ", DIGITS.sub(" ", fold(text.lower())))
    return [folded[i:i + n] for n in range(NGRAMS[0], NGRAMS[1] + 1) for i in range(len(folded) - n + 1)]


class NaiveBayesOnCharacters:
    """Multinomial naive Bayes over TF-IDF-weighted character n-grams (sublinear term frequency,
    smoothed inverse document frequency, unit length), as scikit-learn's TfidfVectorizer with
    analyzer="char" and MultinomialNB compute them."""

    def __init__(self, texts: Sequence[str], owners: np.ndarray, classes: int) -> None:
        counted = [Counter(_grams(t)) for t in texts]
        frequency = Counter(g for grams in counted for g in grams)
        self._column = {g: i for i, g in enumerate(sorted(frequency))}
        self._idf = np.array([math.log((1 + len(texts)) / (1 + frequency[g])) + 1 for g in sorted(frequency)])
        per_class = np.zeros((classes, len(self._column)))
        for grams, owner in zip(counted, owners, strict=True):
            columns, weights = self._weights(grams)
            per_class[owner, columns] += weights
        smoothed = per_class + SMOOTHING
        self._log_share = np.log(smoothed / smoothed.sum(axis=1, keepdims=True)).astype(np.float32)
        counts = np.bincount(owners, minlength=classes).astype(np.float64)
        self._priors = np.log(np.maximum(counts, 1.0) / counts.sum())

    def _weights(self, grams: Counter[str]) -> tuple[np.ndarray, np.ndarray]:
        known = [(self._column[g], n) for g, n in grams.items() if g in self._column]
        if not known:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        columns = np.array([c for c, _ in known], dtype=np.int64)
        weights = (1 + np.log([n for _, n in known])) * self._idf[columns]
        return columns, weights / np.linalg.norm(weights)

    def scores(self, text: str) -> np.ndarray:
        """Each article's joint log-likelihood of the question's characters."""
        columns, weights = self._weights(Counter(_grams(text)))
        # einsum, not @: a BLAS product starts OpenBLAS's threads on the answer path (knowledge_base/meaning.py)
        return np.einsum("ij,j->i", self._log_share[:, columns].astype(np.float64), weights) + self._priors


class ArticleClassifier:
    """Both classifiers, their scores put on one scale. ``BY_CHARACTERS`` weighs the character model
    at half the vector model: on the dev sets it added a little and more weight took it back."""

    BY_CHARACTERS = 0.5

    def __init__(self, vectors: np.ndarray, texts: Sequence[str], owners: np.ndarray, classes: int) -> None:
        self._vectors = DiscriminantOnVectors(vectors, owners, classes)
        self._characters = NaiveBayesOnCharacters(texts, owners, classes)

    def scores(self, vector: np.ndarray, text: str) -> np.ndarray:
        return (standardised(self._vectors.scores(vector))
                + self.BY_CHARACTERS * standardised(self._characters.scores(text)))
