"""NLU training examples, kept in Rasa's NLU YAML format (`version: "3.1"`) under `dialogs/nlu/`.

Only what this project uses is accepted: `- intent: NAME` blocks, each with an `examples: |`
block of `- text` lines. Anything else (another key, an empty example, an intent given twice,
one text under two intents) fails with an `NluDataError` naming the file and the place, so a
broken file stops the app at start rather than misleading the classifier.
"""
import re
from pathlib import Path

from catalog.loader import ProfileError, read_yaml

RASA_NLU_VERSION = "3.1"
INTENT_NAME = re.compile(r"^[a-z][a-z0-9_]*(/[a-z0-9_]+)?$")


class NluDataError(ValueError):
    pass


def read_nlu_dir(directory: Path) -> dict[str, list[str]]:
    """Every `*.yml` file in `directory`, merged: intent name → its examples, in file order."""
    files = sorted(Path(directory).glob("*.yml"))
    if not files:
        raise NluDataError(f"{directory}: 没有 NLU 训练数据文件（*.yml）")
    merged: dict[str, list[str]] = {}
    defined_in: dict[str, str] = {}
    for path in files:
        for intent, examples in read_nlu_file(path).items():
            if intent in merged:
                raise NluDataError(f"{path.name}: 意图 {intent!r} 已在 {defined_in[intent]} 中定义")
            merged[intent] = examples
            defined_in[intent] = path.name
    _refuse_shared_examples(merged, "、".join(p.name for p in files))
    return merged


def read_nlu_file(path: Path) -> dict[str, list[str]]:
    """One Rasa NLU YAML file: intent name → its examples."""
    try:
        doc = read_yaml(Path(path))
    except ProfileError as exc:
        raise NluDataError(str(exc)) from exc
    return parse_nlu(doc, Path(path).name)


def parse_nlu(doc, source: str) -> dict[str, list[str]]:
    """The checked content of one parsed NLU document; `source` names it in errors."""
    def fail(where: str, problem: str):
        raise NluDataError(f"{source} {where}: {problem}")

    if not isinstance(doc, dict):
        fail("顶层", "应为映射，含 version 和 nlu")
    unknown = set(doc) - {"version", "nlu"}
    if unknown:
        fail("顶层", f"未知的键 {sorted(unknown)}")
    if doc.get("version") != RASA_NLU_VERSION:
        fail("version", f"应为字符串 \"{RASA_NLU_VERSION}\"，而不是 {doc.get('version')!r}")
    blocks = doc.get("nlu")
    if not isinstance(blocks, list) or not blocks:
        fail("nlu", "应为非空列表")
    intents: dict[str, list[str]] = {}
    for number, block in enumerate(blocks, 1):
        where = f"nlu 第{number}项"
        if not isinstance(block, dict):
            fail(where, "应为映射（- intent: … examples: |）")
        unknown = set(block) - {"intent", "examples"}
        if unknown:
            fail(where, f"未知的键 {sorted(unknown)}")
        name = block.get("intent")
        if not isinstance(name, str) or not INTENT_NAME.match(name):
            fail(where, f"意图名 {name!r} 不合规（小写字母、数字、下划线，检索意图形如 faq/xxx）")
        if name in intents:
            fail(where, f"意图 {name!r} 重复")
        intents[name] = _examples(block.get("examples"), f"{where}（{name}）", fail)
    _refuse_shared_examples(intents, source)
    return intents


def _examples(block, where: str, fail) -> list[str]:
    if not isinstance(block, str) or not block.strip():
        fail(where, "examples 应为 `|` 文本块，每行 `- 例句`")
    examples, seen = [], set()
    for line in block.splitlines():
        line = line.strip()
        if not line:
            continue
        if not line.startswith("-"):
            fail(where, f"例句应以 \"- \" 开头：{line!r}")
        text = line[1:].strip()
        if not text:
            fail(where, "有空例句")
        if text in seen:
            fail(where, f"例句重复：{text!r}")
        seen.add(text)
        examples.append(text)
    return examples


def _refuse_shared_examples(intents: dict[str, list[str]], source: str) -> None:
    owner: dict[str, str] = {}
    for name, examples in intents.items():
        for text in examples:
            if owner.setdefault(text, name) != name:
                raise NluDataError(f"{source}: 例句 {text!r} 同时属于 {owner[text]} 和 {name}")
