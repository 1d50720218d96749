"""与户主关系 as the 户口簿 writes it: the veteran's relation to the householder ("子" when the householder
is the veteran's father). Veterans say it the other way round ("户主是我爸", "我老妈"), and a relative typing
for them says "户主是他爸爸": that is turned round with the veteran's gender before the answer is read.

Said of themselves ("我是户主的儿子") or copied from the 户口簿 ("子", "女"), the relation is kept as it is.
"""
import re
from dataclasses import dataclass
from functools import lru_cache

from bot import understanding as u
from bot.content import Content

FIELD = "householder_relation"
REGISTER_AS_SAID = ("子", "女")  # the 户口簿's own one-character words, typed alone
PIECE = re.compile(r"[^,;，；、。\s]+")
WHOSE = "(?:我|俺|他|她)"  # whose relative the householder is: the veteran's, said by them or by a relative


@dataclass(frozen=True)
class TurnedRound:
    text: str           # the message with the relation in the 户口簿's words
    householder: str    # what the householder is to the veteran ("父亲")
    relation: str       # what the veteran is to the householder ("子")


@lru_cache
def _patterns(words: tuple[str, ...]) -> tuple[re.Pattern, re.Pattern]:
    kin = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    own = re.compile(rf"(?<!户主)(?:我是|是)(?:户主|他|她)的?({kin})")  # not "户主是他爸爸"
    # "他爸爸", "户主是他爸爸": a relative typing says 他 or 她 for the veteran
    householder = re.compile(rf"^(?:户主(?:是|为)?)?(?:就是)?{WHOSE}?的?({kin})(?:是户主)?$|户主(?:是|为){WHOSE}的?({kin})"
                             rf"|{WHOSE}的?({kin})(?:是|为)户主")
    return own, householder


def turn_round(text: str, gender: str | None, content: Content) -> TurnedRound | None:
    """The message with the householder named from the veteran's side put in the 户口簿's words, or None
    when it names none that way (or the veteran's gender, needed for 子 or 女, is not known yet)."""
    synonyms, turned = content.synonyms.get(FIELD, {}), content.householder_turned_round
    words = {word: option for option, said in synonyms.items() for word in said if option in turned}
    words.update({option: option for option in turned})
    own, householder = _patterns(tuple(words))
    text = u.normalise(text)
    if (match := own.search(text)) is not None:
        relation = words[match[1]]
        return TurnedRound(text[:match.start()] + relation + text[match.end():], "", relation)
    for piece in PIECE.finditer(text):
        match = householder.search(piece[0])
        if match is None or gender not in ("男", "女") or piece[0] in REGISTER_AS_SAID:
            continue
        said = words[next(g for g in match.groups() if g)]
        relation = turned[said][0 if gender == "男" else 1]
        start, end = piece.start() + match.start(), piece.start() + match.end()
        return TurnedRound(text[:start] + relation + text[end:], said, relation)
    return None
