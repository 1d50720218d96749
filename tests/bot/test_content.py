"""The guide's wording and vocabulary (dialogs/questions.yaml): the words it recognises are data, and a
broken list stops the start instead of silently recognising nothing."""
import pytest

from bot.content import load_content
from catalog.loader import DIALOGS_DIR, ProfileError, load_profile

QUESTIONS = DIALOGS_DIR / "questions.yaml"


def _content_with(tmp_path, old, new):
    text = QUESTIONS.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "questions.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return load_content(path, load_profile("sichuan"))


def test_a_word_added_to_a_cue_list_is_recognised(tmp_path):
    content = _content_with(tmp_path, "apply_again: [重新申请,", "apply_again: [从头再报一次, 重新申请,")
    assert content.cues["apply_again"].search("我想从头再报一次")
    assert not load_content(QUESTIONS, load_profile("sichuan")).cues["apply_again"].search("我想从头再报一次")


def test_cue_words_are_words_not_patterns(tmp_path):
    content = _content_with(tmp_path, "apply_again: [重新申请,", "apply_again: [\"有没有?\", 重新申请,")
    assert content.cues["apply_again"].search("有没有?")
    assert not content.cues["apply_again"].search("有没")


@pytest.mark.parametrize("old, new", [("  human_help: [人工, 客服, 工作人员]\n", ""),
                                      ("human_help: [人工, 客服, 工作人员]", "human_help: []"),
                                      ("human_help: [人工,", "human_help: [\"\",")])
def test_a_missing_or_empty_cue_list_fails_the_start(tmp_path, old, new):
    with pytest.raises(ProfileError, match="cues"):
        _content_with(tmp_path, old, new)
