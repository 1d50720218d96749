"""Pinyin typed for a word is read back in the characters the examples use; other letters are left alone."""
from bot.pinyin import PinyinSpeller

EXAMPLES = ["需要准备哪些材料", "材料清单", "转人工", "找人工客服", "身份证怎么办", "身份证丢了", "社保卡邮费", "帮我办社保卡"]


def test_full_pinyin_and_initials_are_spelled_back():
    spell = PinyinSpeller.learn(EXAMPLES)
    assert spell("cailiao要准备哪些") == "材料要准备哪些"
    assert spell("sfz怎么申请 sbk寄到哪") == "身份证怎么申请 社保卡寄到哪"
    assert spell("rengong rengong") == "人工 人工"
    assert spell("ren gong在吗") == "人工在吗"  # typed syllable by syllable


def test_english_short_initials_and_words_seen_once_stay_as_typed():
    spell = PinyinSpeller.learn(EXAMPLES)
    assert spell("thanks, start over") == "thanks, start over"
    assert spell("rg") == "rg"  # two letters are too often something else
    assert spell("qingdan") == "qingdan"  # 清单 is in one example only
