"""Policy Q&A: answers about the active province's "退役军人服务一件事", taken only from its policy documents.

The knowledge base is data under `dialogs/faq/`:
- `questions.yml`: every FAQ id with its standard question; the id is also the Rasa retrieval
  intent `faq/<id>` of the NLU examples in `dialogs/nlu/`;
- `<province>.yml` (one per profile): the province's answer to every question, each with the
  source documents (keys of the profile's `sources`) and sections it comes from.
Everything is checked at load (unknown keys, ids or documents, a question without examples or
without an answer) and fails with a `FaqError`.

A question is recognised by the intent classifier; when the classifier is unsure, TF-IDF
retrieval over the FAQ's questions, examples and answers decides, unless the classifier's best
guess is out of scope: retrieval matches the words a question shares with an entry ("去哪个窗口")
and cannot tell that it asks about another service ("车辆过户去哪个窗口"). A question that neither
recognises is out of scope: the caller gets None, and `out_of_scope_reply()` says honestly that
the documents do not cover it, never an invented figure.
"""
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.intents import (CONTROL_INTENTS, FAQ_PREFIX, INFORM, OUT_OF_SCOPE, IntentClassifier, OneMessageTfidf,
                         Prediction, normalize)
from bot.nlu_data import read_nlu_dir
from catalog.loader import ProfileError, read_yaml
from catalog.profile import Profile

# Thresholds chosen by 5-fold cross-validation on the NLU examples: a closer retrieval match or a
# surer classifier trades a little accuracy for fewer answers to questions the documents don't cover.
# Below this probability the classifier is unsure and retrieval decides.
CLASSIFIER_SURE = 0.5
# An unsure classifier that still holds out of scope this unlikely, with its best guess at least this
# probable, is trusted when retrieval finds nothing close: it is unsure which of our questions, not
# whether it is one (a veteran's own business asked in words of their own: "我家娃退伍了户口咋弄回来").
OUT_OF_SCOPE_UNLIKELY = 0.05
CLASSIFIER_LEANS = 0.3
# A retrieval match must be at least this close (cosine) to count as the answer ...
RETRIEVAL_MATCH = 0.65
# ... and related answers listed by `search` at least this close.
RETRIEVAL_RELATED = 0.3
# The entry that says where to talk to a person (the `human_help` intent).
HUMAN_HELP_ENTRY = "offline_window"


class FaqError(ValueError):
    pass


@dataclass(frozen=True)
class Answer:
    """One answer: `sources` is a list of `{"title", "section"}` it is taken from (empty when out of scope)."""

    id: str
    question: str
    text: str
    sources: list
    confidence: float = 1.0


class PolicyQA:
    """The Q&A of one province. Build with `PolicyQA.load`; read-only and thread-safe afterwards."""

    def __init__(self, profile: Profile, questions: dict[str, str], answers: dict[str, dict],
                 classifier: IntentClassifier):
        self.profile = profile
        self.questions = questions
        self._answers = answers
        self._classifier = classifier
        # Retrieval units: each entry's question, its NLU examples and its answer, scored separately.
        units, self._unit_entries = [], []
        for faq_id, question in questions.items():
            for text in (question, *classifier.examples[FAQ_PREFIX + faq_id], answers[faq_id]["text"]):
                units.append(normalize(text))
                self._unit_entries.append(faq_id)
        self._vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True)
        self._unit_vectors = self._vectorizer.fit_transform(units)
        self._tfidf = OneMessageTfidf(self._vectorizer)

    @classmethod
    def load(cls, dialogs_dir: Path, profile: Profile, classifier: IntentClassifier | None = None) -> "PolicyQA":
        """Reads and checks `dialogs_dir/faq` for `profile`; trains a classifier on `dialogs_dir/nlu` unless given one."""
        dialogs_dir = Path(dialogs_dir)
        if classifier is None:
            classifier = IntentClassifier.train(read_nlu_dir(dialogs_dir / "nlu"))
        faq_dir = dialogs_dir / "faq"
        provinces = {p.stem for p in (dialogs_dir / "profiles").glob("*.yaml")}
        strays = sorted(p.name for p in faq_dir.glob("*.y*ml") if p.stem not in provinces | {"questions"})
        if strays:
            raise FaqError(f"{faq_dir}: 不认识的文件 {strays}（应为 questions.yml 或省份名.yml：{sorted(provinces)}）")
        questions = _read_questions(faq_dir / "questions.yml")
        _check_intents(questions, classifier.examples)
        answers = _read_answers(faq_dir / f"{profile.key}.yml", profile, questions)
        return cls(profile, questions, answers, classifier)

    def classify(self, text: str) -> Prediction:
        """The intent of a message, for the chat engine.

        One of `bot.intents.CONTROL_INTENTS`, `inform`, `faq/<id>` or `out_of_scope`. A sure classifier
        decides alone, and so does one whose best guess is `out_of_scope`, however unsure; otherwise
        the closest FAQ entry by retrieval (its cosine as the confidence), or, when none is close
        enough, the classifier's guess if it leans to it and holds out of scope unlikely, else
        `out_of_scope` with 1 − the classifier's best probability.
        """
        ranking = self._classifier.rank(text, len(self._classifier.intents))
        prediction = ranking[0]
        if prediction.confidence >= CLASSIFIER_SURE or prediction.intent == OUT_OF_SCOPE:
            return prediction
        ranked = self._retrieve(text)
        if ranked and ranked[0][1] >= RETRIEVAL_MATCH:
            faq_id, score = ranked[0]
            return Prediction(FAQ_PREFIX + faq_id, round(score, 4))
        out_of_scope = next(p.confidence for p in ranking if p.intent == OUT_OF_SCOPE)
        if prediction.confidence >= CLASSIFIER_LEANS and out_of_scope < OUT_OF_SCOPE_UNLIKELY:
            return prediction
        return Prediction(OUT_OF_SCOPE, round(1 - prediction.confidence, 4))

    def answer(self, text: str) -> Answer | None:
        """The answer to a policy question, or None when the message is not one the documents answer."""
        return self.answer_for(self.classify(text))

    def answer_for(self, prediction: Prediction) -> Answer | None:
        """The answer for a `faq/<id>` prediction of `classify`; None for any other intent."""
        if not prediction.intent.startswith(FAQ_PREFIX):
            return None
        return self.entry(prediction.intent[len(FAQ_PREFIX):], prediction.confidence)

    def entry(self, faq_id: str, confidence: float = 1.0) -> Answer:
        """The answer of one FAQ entry by id (KeyError for an unknown id)."""
        answer = self._answers[faq_id]
        return Answer(faq_id, self.questions[faq_id], answer["text"], [dict(s) for s in answer["sources"]],
                      confidence)

    def search(self, q: str, limit: int = 5) -> list[Answer]:
        """The answer to `q` first, then related entries by retrieval; empty when `q` is out of scope."""
        best = self.answer(q)
        if best is None:
            return []
        found = [best]
        for faq_id, score in self._retrieve(q):
            if len(found) >= limit or score < RETRIEVAL_RELATED:
                break
            if faq_id != best.id:
                found.append(self.entry(faq_id, round(score, 4)))
        return found

    def out_of_scope_reply(self, question: str = "") -> Answer:
        """The honest reply to a question the documents do not answer (`question`, if given): where to ask instead."""
        text = (f"这个问题在{self.profile.name}“退役军人服务一件事”的政策文件里没有说明，"
                "我不能给您不准确的答复。请咨询当地退役军人服务中心。")
        return Answer(OUT_OF_SCOPE, question, text, [], 1.0)

    def human_help_reply(self) -> Answer:
        """Where to talk to a person: the province's window at the local 退役军人服务中心."""
        return self.entry(HUMAN_HELP_ENTRY)

    def _retrieve(self, text: str) -> list[tuple[str, float]]:
        """FAQ ids with their best cosine over the entry's question, examples and answer, closest first."""
        cleaned = self._classifier.clean(text)
        if not cleaned:
            return []
        columns, weights = self._tfidf(cleaned)
        message = np.zeros(self._unit_vectors.shape[1])
        message[columns] = weights
        # scikit-learn's transform checks its input for longer than this takes. Each unit's products are
        # added in the same order as in the sparse product with the message's row (the zeros in between
        # add nothing): the cosines are the same to the bit (tests/bot/test_policy_qa.py).
        scores = (self._unit_vectors @ message).tolist()
        best: dict[str, float] = {}
        for faq_id, score in zip(self._unit_entries, scores):
            if score > best.get(faq_id, 0.0):
                best[faq_id] = score
        return sorted(best.items(), key=lambda item: item[1], reverse=True)


def _read(path: Path):
    if not path.exists():
        raise FaqError(f"缺少知识库文件 {path}")
    try:
        return read_yaml(path)
    except ProfileError as exc:
        raise FaqError(str(exc)) from exc


def _mapping(value, where: str, allowed: set, required: set = frozenset()) -> dict:
    if not isinstance(value, dict):
        raise FaqError(f"{where}: 应为映射（key: value）")
    unknown = set(value) - allowed
    if unknown:
        raise FaqError(f"{where}: 未知的键 {sorted(unknown)}")
    missing = set(required) - set(value)
    if missing:
        raise FaqError(f"{where}: 缺少键 {sorted(missing)}")
    return value


def _text(value, where: str) -> str:
    """Lines of a YAML block joined without spaces, as Chinese is written."""
    if not isinstance(value, str) or not value.strip():
        raise FaqError(f"{where}: 应为非空文字")
    return "".join(line.strip() for line in value.splitlines())


def _read_questions(path: Path) -> dict[str, str]:
    questions = _mapping(_read(path), path.name, {"questions"}, {"questions"})["questions"]
    if not isinstance(questions, dict) or not questions:
        raise FaqError(f"{path.name} questions: 应为非空映射（id: 问题）")
    return {faq_id: _text(q, f"{path.name} questions.{faq_id}") for faq_id, q in questions.items()}


def _check_intents(questions: dict[str, str], examples: dict[str, list[str]]) -> None:
    """The NLU data and the FAQ must name the same entries, and the engine's intents must all be trained."""
    faq_intents = {i[len(FAQ_PREFIX):] for i in examples if i.startswith(FAQ_PREFIX)}
    unknown = sorted(faq_intents - set(questions))
    if unknown:
        raise FaqError(f"NLU 数据中的 FAQ 意图在 faq/questions.yml 中没有问题：{unknown}")
    untrained = sorted(set(questions) - faq_intents)
    if untrained:
        raise FaqError(f"faq/questions.yml 中的问题没有 NLU 例句（faq/<id>）：{untrained}")
    expected = set(CONTROL_INTENTS) | {INFORM, OUT_OF_SCOPE}
    others = {i for i in examples if not i.startswith(FAQ_PREFIX)}
    if others - expected:
        raise FaqError(f"NLU 数据中有未知的意图 {sorted(others - expected)}")
    if expected - others:
        raise FaqError(f"NLU 数据缺少意图 {sorted(expected - others)}")


def _read_answers(path: Path, profile: Profile, questions: dict[str, str]) -> dict[str, dict]:
    doc = _mapping(_read(path), path.name, {"province", "answers"}, {"province", "answers"})
    if doc["province"] != profile.key:
        raise FaqError(f"{path.name} province: 应为 {profile.key!r}，而不是 {doc['province']!r}")
    answers = doc["answers"]
    _mapping(answers, f"{path.name} answers", set(questions))
    missing = sorted(set(questions) - set(answers))
    if missing:
        raise FaqError(f"{path.name}: 缺少这些问题的回答 {missing}")
    titles = {source.key: source.title for source in profile.sources}
    checked = {}
    for faq_id in questions:
        where = f"{path.name} answers.{faq_id}"
        entry = _mapping(answers[faq_id], where, {"text", "sources"}, {"text", "sources"})
        if not isinstance(entry["sources"], list) or not entry["sources"]:
            raise FaqError(f"{where}.sources: 每个回答至少注明一个出处")
        sources = []
        for source in entry["sources"]:
            _mapping(source, f"{where}.sources", {"doc", "section"}, {"doc", "section"})
            if source["doc"] not in titles:
                raise FaqError(f"{where}.sources: 未知的文件 {source['doc']!r}，可选：{sorted(titles)}")
            sources.append({"title": titles[source["doc"]], "section": _text(source["section"], f"{where}.sources")})
        checked[faq_id] = {"text": _text(entry["text"], f"{where}.text"), "sources": sources}
    return checked
