"""Pinyin typed for a Chinese word ("cailiao", "rengong", or its initials "sfz"), spelled back in
the characters the NLU examples use, so the recogniser sees the word the veteran meant.

The words come from the examples themselves: every run of two to four characters found in at least
two of them, read by pypinyin; initials only for three characters or more, since two letters
("sb", "dd") are more often something else. Letters that spell no known word stay as they are
("thanks", "start over").
"""
import re
from collections import Counter

from pypinyin import Style, lazy_pinyin

HAN = re.compile(r"[\u4e00-\u9fff]+")
LATIN = re.compile(r"[a-z]+(?: [a-z]+)*")  # "yi jian shi" is typed syllable by syllable too
SHORTEST_LETTERS = 3
SHORTEST, LONGEST = 2, 4
MIN_EXAMPLES = 2


class PinyinSpeller:
    def __init__(self, words: dict[str, str]):
        self._words = words  # pinyin without tones, or initials → the word

    @classmethod
    def learn(cls, texts: list[str]) -> "PinyinSpeller":
        """From lower-case texts; where two words share a spelling the more common one wins."""
        found = Counter()
        for text in texts:
            found.update({run[i:i + n] for run in HAN.findall(text)
                          for n in range(SHORTEST, LONGEST + 1) for i in range(len(run) - n + 1)})
        words: dict[str, str] = {}
        for word, examples in found.most_common():
            if examples < MIN_EXAMPLES:
                break
            words.setdefault("".join(lazy_pinyin(word)), word)
            if len(word) > SHORTEST:
                words.setdefault("".join(lazy_pinyin(word, style=Style.FIRST_LETTER)), word)
        return cls(words)

    def __call__(self, text: str) -> str:
        return LATIN.sub(self._spell, text)

    def _spell(self, match: re.Match) -> str:
        typed = match.group()
        joined = typed.replace(" ", "")
        if len(joined) >= SHORTEST_LETTERS and joined in self._words:
            return self._words[joined]
        return " ".join(self._words.get(w, w) if len(w) >= SHORTEST_LETTERS else w for w in typed.split(" "))


SOUNDED_SHORTEST = 4  # characters: shorter words have too many homophones in everyday messages


def respelled(text: str, words) -> str:
    """`text` with each of `words` (four characters or more) written in where it was typed with
    characters of the same sound ("自主就页" for 自主就业: a slip of the pinyin keyboard)."""
    sounds = _sounds(text)
    for word in words:
        if len(word) < SOUNDED_SHORTEST or word in text:
            continue
        spoken = _sounds(word)
        for i in range(len(text) - len(word) + 1):
            if sounds[i:i + len(word)] == spoken:
                text = text[:i] + word + text[i + len(word):]
    return text


def _sounds(text: str) -> list[str]:
    """One toneless syllable per character, each read alone, so a word and a text read alike."""
    return [lazy_pinyin(c)[0] for c in text]
