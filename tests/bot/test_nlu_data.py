"""The NLU examples load from Rasa's NLU YAML, and a malformed file stops the start with a clear error."""
import pytest

from bot.intents import CONTROL_INTENTS, OUT_OF_SCOPE
from bot.nlu_data import NluDataError, parse_nlu, read_nlu_dir, read_nlu_file
from catalog.loader import DIALOGS_DIR


def write(tmp_path, text: str):
    path = tmp_path / "nlu.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_project_examples_cover_every_control_intent_and_out_of_scope():
    examples = read_nlu_dir(DIALOGS_DIR / "nlu")
    for intent in (*CONTROL_INTENTS, OUT_OF_SCOPE):
        assert len(examples[intent]) >= 15, intent


def test_a_rasa_file_reads_as_intents_with_their_examples(tmp_path):
    path = write(tmp_path, 'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - 你好\n    - hi\n'
                           '- intent: faq/photo_spec\n  examples: |\n    - 照片要多大\n')
    assert read_nlu_file(path) == {"greet": ["你好", "hi"], "faq/photo_spec": ["照片要多大"]}


@pytest.mark.parametrize("doc, problem", [
    ({"version": "3.0", "nlu": [{"intent": "greet", "examples": "- 你好"}]}, "version"),
    ({"version": 3.1, "nlu": [{"intent": "greet", "examples": "- 你好"}]}, "version"),
    ({"version": "3.1", "nlu": [{"intent": "greet", "examples": "- 你好"}], "rules": []}, "未知的键"),
    ({"version": "3.1", "nlu": [{"intent": "greet", "examples": "- 你好", "metadata": {}}]}, "未知的键"),
    ({"version": "3.1", "nlu": []}, "非空列表"),
    ({"version": "3.1", "nlu": [{"intent": "Greet!", "examples": "- 你好"}]}, "意图名"),
    ({"version": "3.1", "nlu": [{"intent": "greet", "examples": "你好"}]}, "例句应以"),
    ({"version": "3.1", "nlu": [{"intent": "greet", "examples": "- 你好\n- "}]}, "空例句"),
    ({"version": "3.1", "nlu": [{"intent": "greet", "examples": "- 你好\n- 你好"}]}, "例句重复"),
    ({"version": "3.1", "nlu": [{"intent": "greet", "examples": "- 你好"},
                                {"intent": "greet", "examples": "- 您好"}]}, "重复"),
    ({"version": "3.1", "nlu": [{"intent": "greet", "examples": "- 你好"},
                                {"intent": "thanks", "examples": "- 你好"}]}, "同时属于"),
    ({"version": "3.1", "nlu": [{"intent": "greet"}]}, "examples"),
])
def test_a_malformed_nlu_document_is_refused_with_the_reason(doc, problem):
    with pytest.raises(NluDataError, match=problem):
        parse_nlu(doc, "nlu.yml")


def test_a_duplicate_key_in_the_yaml_is_refused(tmp_path):
    path = write(tmp_path, 'version: "3.1"\nversion: "3.1"\nnlu: []\n')
    with pytest.raises(NluDataError, match="重复"):
        read_nlu_file(path)


def test_an_intent_defined_in_two_files_is_refused(tmp_path):
    for name in ("a.yml", "b.yml"):
        (tmp_path / name).write_text('version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - 你好' + name + "\n",
                                     encoding="utf-8")
    with pytest.raises(NluDataError, match="已在 a.yml 中定义"):
        read_nlu_dir(tmp_path)


def test_an_empty_directory_is_refused(tmp_path):
    with pytest.raises(NluDataError, match="没有 NLU"):
        read_nlu_dir(tmp_path)
