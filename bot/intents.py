"""Intent recognition: which known intent a message is, with a probability.

Character n-grams weighted by TF-IDF feed a logistic regression (fitted by SGD), trained once
from the NLU examples (`bot.nlu_data`) when the app starts. Character n-grams need no Chinese word
segmentation, and a typo (身分证, 社宝卡) still shares most n-grams with the right words. Traditional
characters (預備役登記) are read as the simplified ones the examples are written in (OpenCC t2s).

Intents are the dialogue-control ones in `CONTROL_INTENTS`, `inform` (a plain answer to the
pending question: a name, a number, a date, a place), the policy questions `faq/<id>` (Rasa
retrieval intents, answered by `bot.policy_qa`) and `out_of_scope`.
"""
import re
import unicodedata
from dataclasses import dataclass
from math import sqrt

import numpy as np
from scipy.special import expit
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier

from bot.pinyin import PinyinSpeller
from bot.simplified import simplified

CONTROL_INTENTS = (
    "start_application", "ask_progress", "restart", "go_back", "pause", "correct_field", "upload_later",
    "confirm_submit", "greet", "thanks", "human_help",
)
INFORM = "inform"
OUT_OF_SCOPE = "out_of_scope"
FAQ_PREFIX = "faq/"

# Phone and ID numbers say nothing about the intent beyond being a number: their digits would swamp the n-grams.
LONG_NUMBER = re.compile(r"\d{5,}[\dx]?")
NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Prediction:
    """An intent name and how sure the recogniser is of it, from 0 to 1."""

    intent: str
    confidence: float


def normalize(text: str) -> str:
    """Full-width to half-width, traditional characters to simplified, lower case, long numbers as `0`,
    punctuation as spaces."""
    text = simplified(unicodedata.normalize("NFKC", text)).lower()
    text = LONG_NUMBER.sub("0", text)
    return NOT_WORD.sub(" ", text).strip()


class IntentClassifier:
    """A trained recogniser. Build it with `IntentClassifier.train(examples)`; it is read-only after."""

    def __init__(self, vectorizer: TfidfVectorizer, model: SGDClassifier, examples: dict[str, list[str]],
                 speller: PinyinSpeller):
        self._vectorizer = vectorizer
        self._model = model
        self.examples = examples
        self._speller = speller
        self._scorer = _OneMessageScorer(vectorizer, model)

    @classmethod
    def train(cls, examples: dict[str, list[str]], seed: int = 0) -> "IntentClassifier":
        """Trains on intent → example texts (as `bot.nlu_data.read_nlu_dir` returns them); `seed` is SGD's,
        which changes no figure of bench/faq_accuracy.py once it runs to convergence."""
        if len(examples) < 2:
            raise ValueError("训练意图分类至少需要两个意图")
        texts = [normalize(text) for texts in examples.values() for text in texts]
        labels = [intent for intent, texts in examples.items() for _ in texts]
        # Unigrams and bigrams cross-validate best on these short examples; trigrams only add noise.
        vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 2), sublinear_tf=True)
        # Run to convergence (every pass, no early stop): the model is then the same whatever SGD's seed,
        # so a change to the examples is measured by what it teaches, not by how it reshuffles the passes
        # (stopping early, the held-out figures moved by a point between seeds).
        model = SGDClassifier(loss="log_loss", alpha=1e-5, max_iter=400, tol=None, random_state=seed)
        model.fit(vectorizer.fit_transform(texts), labels)
        return cls(vectorizer, model, examples, PinyinSpeller.learn(texts))

    @property
    def intents(self) -> list[str]:
        return list(self._model.classes_)

    def clean(self, text: str) -> str:
        """The message as the recogniser reads it: `normalize`d, pinyin spelled back in characters."""
        return self._speller(normalize(text))

    def predict(self, text: str) -> Prediction:
        """The most probable intent; an empty message is `out_of_scope` with confidence 0."""
        return self.rank(text, 1)[0]

    def rank(self, text: str, limit: int = 3) -> list[Prediction]:
        """The `limit` most probable intents, most probable first."""
        cleaned = self.clean(text)
        if not cleaned:
            return [Prediction(OUT_OF_SCOPE, 0.0)]
        probabilities = self._scorer.probabilities(cleaned)
        best = probabilities.argsort()[::-1][:limit]
        return [Prediction(str(self._model.classes_[i]), round(float(probabilities[i]), 4)) for i in best]


class OneMessageTfidf:
    """`vectorizer.transform([text])` for one message, as its columns (ascending) and their weights.

    scikit-learn spends most of a single-message call validating its input; this does the same
    arithmetic on the message's few n-grams, in the same order, so the weights are the same to the
    last bit. Read-only: safe across threads.
    """

    def __init__(self, vectorizer: TfidfVectorizer):
        if not (vectorizer.sublinear_tf and vectorizer.norm == "l2" and vectorizer.use_idf):
            raise ValueError("OneMessageTfidf follows TF-IDF (sublinear, l2) only")
        self._analyze = vectorizer.build_analyzer()
        self._vocabulary = vectorizer.vocabulary_
        self._idf = vectorizer.idf_

    def __call__(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        # CountVectorizer: n-gram counts, columns in ascending order
        counts: dict[int, int] = {}
        for feature in self._analyze(text):
            column = self._vocabulary.get(feature)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        columns = np.array(sorted(counts), dtype=np.intp)
        tf = np.array([counts[c] for c in columns.tolist()], dtype=np.float64)
        # TfidfTransformer: 1 + log(tf), times idf, then the row scaled to unit length
        np.log(tf, tf)
        tf += 1.0
        tf *= self._idf[columns]
        squares = 0.0
        for value in tf.tolist():
            squares += value * value
        if squares != 0.0:
            tf /= sqrt(squares)
        return columns, tf


class _OneMessageScorer:
    """`model.predict_proba(vectorizer.transform([text]))[0]` for one message, some fifty times faster.

    Besides validating its input, scikit-learn copies the whole coefficient matrix (for the sparse
    product); this does the same arithmetic on the message's few n-grams, in the same order, so the
    probabilities are the same to the last bit (tests/bot/test_intents.py compares them on every
    example). Read-only: safe across threads.
    """

    def __init__(self, vectorizer: TfidfVectorizer, model: SGDClassifier):
        if not (model.loss == "log_loss" and len(model.classes_) > 2):
            raise ValueError("_OneMessageScorer follows multi-class log-loss only")
        self._tfidf = OneMessageTfidf(vectorizer)
        self._weights = np.ascontiguousarray(model.coef_.T)  # one row of class weights per feature
        self._intercept = model.intercept_

    def probabilities(self, text: str) -> np.ndarray:
        columns, tf = self._tfidf(text)
        # decision_function: the sparse row times coef_.T, accumulated n-gram by n-gram, plus intercept_
        if len(tf):  # np.add.reduce adds the rows one after the other, as scipy's sparse product does
            scores = np.add.reduce(tf[:, None] * self._weights[columns], axis=0, keepdims=True)
        else:
            scores = np.zeros((1, self._weights.shape[1]))
        scores = scores + self._intercept
        # _predict_proba_lr: one-vs-rest logistic, normalised over the classes
        expit(scores, out=scores)
        total = scores.sum(axis=1)
        if total[0] == 0:
            scores[:] = 1
            total[0] = scores.shape[1]
        scores /= total.reshape((1, -1))
        return scores[0]
