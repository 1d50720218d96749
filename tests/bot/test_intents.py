"""The intent classifier: trained from the NLU examples, repeatable, and tolerant of typos and mixed text."""
import pytest

from bot.intents import IntentClassifier, normalize
from bot.nlu_data import read_nlu_dir
from catalog.loader import DIALOGS_DIR


@pytest.fixture(scope="module")
def examples():
    return read_nlu_dir(DIALOGS_DIR / "nlu")


@pytest.fixture(scope="module")
def classifier(examples):
    return IntentClassifier.train(examples)


def test_normalize_folds_full_width_case_punctuation_and_long_numbers():
    assert normalize("ＡＢＣ，手机号１３９１２３４５６７８！") == "abc 手机号0"
    assert normalize("  ？？ ") == ""


def test_normalize_reads_traditional_characters_as_simplified():
    assert normalize("黨組織關係怎麼轉？") == "党组织关系怎么转"


@pytest.mark.parametrize("text, intent", [("黨組織關係怎麼轉", "faq/party_transfer"),
                                          ("團組織關係怎麼轉", "faq/league_transfer")])
def test_a_question_typed_in_traditional_characters_is_recognised(classifier, text, intent):
    assert classifier.predict(text).intent == intent


def test_training_twice_gives_the_same_predictions(examples, classifier):
    again = IntentClassifier.train(examples)
    for text in ("照片要多大", "我的申请到哪一步了", "附近有什么好吃的"):
        assert again.predict(text) == classifier.predict(text)


@pytest.mark.parametrize("text, intent", [
    ("社宝卡邮费谁付", "faq/social_security_card"),
    ("身分证咋申请", "faq/id_card"),
    ("照片要jpg还是png", "faq/photo_spec"),
    ("预被役登记啥时候", "faq/reserve_registration"),
    ("ok 信息没问题 提交", "confirm_submit"),
    ("sbk怎么领", "faq/social_security_card"),  # pinyin initials
    ("yibao怎么转", "faq/medical_insurance"),  # pinyin
    ("cailiao清单发我一下", "faq/materials"),
    ("转rengong", "human_help"),
])
def test_typos_and_mixed_text_are_still_recognised(classifier, text, intent):
    assert classifier.predict(text).intent == intent


def test_a_plain_answer_is_not_taken_for_a_correction(classifier):
    assert classifier.predict("13800138000，成都市锦江区红星路1号，王建国，父子，028-86001234").intent == "inform"
    assert classifier.predict("地址填错了，应该是成都市锦江区红星路1号").intent == "correct_field"


def test_ranking_lists_the_most_probable_first(classifier):
    ranked = classifier.rank("团关系怎么转", 3)
    assert ranked[0].intent == "faq/league_transfer" and len(ranked) == 3
    assert ranked[0].confidence >= ranked[1].confidence >= ranked[2].confidence


def test_training_needs_at_least_two_intents():
    with pytest.raises(ValueError, match="两个意图"):
        IntentClassifier.train({"greet": ["你好"]})


def test_the_one_message_scorer_gives_scikit_learns_probabilities_to_the_bit(examples, classifier):
    texts = [normalize(t) for ts in examples.values() for t in ts] + ["zzz", "社保卡 0 号", "好"]
    for text in texts:
        expected = classifier._model.predict_proba(classifier._vectorizer.transform([text]))[0]
        assert (classifier._scorer.probabilities(text) == expected).all(), text
