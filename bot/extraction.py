"""Filling the slots of one question from one message: several values at once, in any order.

A value is taken where a label names it ("手机13800138000"), else where its type shows
(an ID number, a date, an option's name), else text slots take what is left, in order.
Every value then goes through the same check as the form (catalog.field_values).
"""
import re
from dataclasses import dataclass, field
from functools import lru_cache

from bot import understanding as u
from bot.content import Content
from cases.context import Context
from catalog.field_values import HAN, FieldValueError, clean_value
from catalog.profile import Field

TYPE_ORDER = ["id_number", "phone", "bank_account", "date", "choice", "yes_no", "region", "text"]
NAME_MARKERS = re.compile(r"^(?:(?:我|俺)的?(?:名字|姓名)?(?:是|叫)|(?:名字|姓名)(?:是|叫|为)?|名叫|叫做?|本人)")
LIVES_AT = re.compile(r"^(?:(?:我|俺)家?现?住在?|家?现?住在|家住)")  # "我住在春熙路88号", "我住…": no part of the address
# "我叫王磊", "俺叫王磊", "我的名字是王磊": a name said anywhere in a message.
NAME_SAID = re.compile(rf"(?:(?:我|俺)(?:的名字)?叫|我的名字是|名叫)([{HAN}·]{{2,10}}?)(?=[,，。;；\s]|身份证|手机|$)")
# "我姓王，叫王磊", "姓王名磊": the surname first, then the name, whole or given only.
SURNAME_FIRST = re.compile(rf"(?:我|俺)?姓([{HAN}]{{1,2}})[,，\s]*(?:名字叫|名叫|叫|名)([{HAN}·]{{1,10}}?)"
                           r"(?=[,，。;；\s]|身份证|手机|$)")
YES_NO_BESIDE_OTHERS = 4  # characters
PLACE_NAMED = re.compile(rf"[{HAN}]{{2,}}(?:省|市|区|县|州|旗|盟)")
# What is left of "嗯，我想想，应该是2018年9月吧" or "24年9月退的" once the date is taken: no answer to anything.
CHATTER = re.compile(r"(?:嗯|啊|哦|呃|额|哈|我想想|想想|让我想想|应该是|应该|大概是|大概|可能是|可能|好像是|好像|吧|呢|了|的"
                     r"|入伍|参军|当兵|退伍|退役|退|去|走|回来)+")
# "红星路1号，3栋2单元501": the building, unit and flat after a comma still belong to the street address.
ADDRESS_TAIL = re.compile(r"(?:\d+(?:栋|幢|号楼|单元|楼|层|室|号|户)[\dA-Za-z-]*)+")
STREET_END = re.compile(r"(?:[路街道巷弄村号组]|小区|大厦|花园|公寓)$")
# The field that holds how the veteran is related to the person a name field names.
RELATION_OF = {"emergency_contact_name": "emergency_contact_relation"}
MY = re.compile(r"^是?我的?|的$")  # "是我妈" → "妈"
NUMBER_TYPES = {"id_number", "phone", "bank_account"}
NUMBER_SAID = re.compile(r"\d(?:[\d\s-]*\d)?[Xx]?")  # with the spaces and dashes people put in
LABEL_GLUE = re.compile(r"^[是为:：\s]+|[:：\s]+$")  # "姓名为张有为": the leading 为 only


@dataclass
class Extracted:
    values: dict = field(default_factory=dict)
    problems: dict = field(default_factory=dict)


def _labels(f: Field, content: Content) -> list[str]:
    return sorted({f.label, *content.field_aliases.get(f.key, ())}, key=len, reverse=True)


def strip_labels(text: str, words: list[str]) -> str:
    text = LIVES_AT.sub("", NAME_MARKERS.sub("", text.strip()))
    for word in words:
        if text.startswith(word):
            text = text[len(word):]
        elif text.endswith(word):
            text = text[: -len(word)]
    return LABEL_GLUE.sub("", text)


def _find(f: Field, text: str, ctx: Context, content: Content, alone: bool = True):
    """(raw value, span) of a value of `f`'s type in `text`, or None.

    `alone`: `f` is the only slot asked. Beside other slots, only a short answer ("不是", "没有农村籍")
    is a yes or no: "工商银行" holds 行 (fine) and "未婚" 未 (not).
    """
    if f.type == "id_number":
        return u.find_id_number(text)
    if f.type == "phone":
        return u.find_phone(text, f.landline_allowed)
    if f.type == "bank_account":
        return u.find_bank_account(text)
    if f.type == "date":
        return u.find_date(text)
    if f.type == "choice":
        return u.find_choice(text, f.options, content.synonyms.get(f.key, {}))
    if f.type == "yes_no":
        answer = text
        for word in _labels(f, content):
            answer = answer.replace(word, "")
        yes_no = u.find_yes_no(answer) if alone or len(answer) <= YES_NO_BESIDE_OTHERS else None
        return None if yes_no is None else (yes_no, (0, len(text)))
    if f.type == "region":
        try:
            region = u.find_region(text, ctx.regions, ctx.profile.region_scope(f))
        except ValueError:
            return None
        return region.code, (0, len(text))
    return None


def _take(pieces: list[str], index: int, span: tuple[int, int], words: list[str]) -> None:
    """Remove the used part of a piece; what is left (if anything) stays for other slots."""
    piece = pieces[index]
    rest = strip_labels(piece[: span[0]] + piece[span[1]:], words)
    if rest:
        pieces[index] = rest
    else:
        del pieces[index]


def _said_whole_name(text: str) -> str:
    """"我姓王，叫王磊" and "姓王名磊" as "我叫王磊"."""
    def whole(match: re.Match) -> str:
        surname, name = match[1], match[2]
        return "我叫" + (name if name.startswith(surname) else surname + name)
    return SURNAME_FIRST.sub(whole, u.normalise(text))


def extract(slots: list[str], text: str, ctx: Context, content: Content) -> Extracted:
    fields = [ctx.profile.fields[s] for s in slots]
    pieces = u.segments(_said_whole_name(text) if "name" in slots else text)
    raw: dict = {}
    # 1. A piece that names a slot's label and holds a value of its type.
    for f in fields:
        labels = _labels(f, content)
        for i, piece in enumerate(pieces):
            if any(word in piece for word in labels) and f.type != "text":
                found = _find(f, strip_labels(piece, labels), ctx, content)
                if found:
                    raw[f.key] = found[0]
                    del pieces[i]
                    break
    # 2. Typed values, the most recognisable types first.
    for f in sorted(fields, key=lambda f: TYPE_ORDER.index(f.type)):
        if f.key in raw or f.type == "text":
            continue
        for i, piece in enumerate(pieces):
            if f.type == "date" and u.is_vague_date(piece):  # "19年秋天": this date is asked again, not filled
                raw[f.key] = piece                          # with the next one ("24年9月退的")
                del pieces[i]
                break
            found = _find(f, piece, ctx, content, alone=len(fields) == 1)
            if found:
                raw[f.key] = found[0]
                _take(pieces, i, found[1], _labels(f, content))
                break
        else:
            named = next((i for i, p in enumerate(pieces) if PLACE_NAMED.fullmatch(p)), None)
            if f.type == "region" and named is not None:  # "成都高新区": a place none of ours, told as such,
                raw[f.key] = pieces.pop(named)              # and no name either
    # 3. Text slots: a piece that starts with the slot's label first, then what is left, in order;
    #    a piece that is an unmistakable number of another field (答非所问) is not text.
    if any(f.address for f in fields):
        pieces = _joined_address_tails(pieces)
    words = [w for f in fields for w in _labels(f, content)]
    pieces = [p for p in pieces if not _is_other_number(p) and not CHATTER.fullmatch(p)
              and not any(p in w for w in words)]  # "电话" left of "紧急联系人电话13700137000" is no relation
    for f in fields:
        if f.type == "text" and f.key not in raw:
            labels = _labels(f, content)
            at = next((i for i, p in enumerate(pieces) if any(p.startswith(w) for w in labels)), None)
            if at is not None:
                raw[f.key] = strip_labels(pieces.pop(at), labels) or None
    for f in fields if len(fields) > 1 else ():
        hints = content.text_hints.get(f.key, ()) if f.key not in raw else ()
        kin = _kin_before_name(tuple(content.kin_words)) if f.key in RELATION_OF.values() else None
        at = next((i for i, p in enumerate(pieces)
                   if any(w in p for w in hints) and not (kin and kin.match(p))), None)  # "我妈李秀英": a name
        if at is not None:
            raw[f.key] = strip_labels(pieces.pop(at), _labels(f, content)) or None
    text_fields = [f for f in fields if f.type == "text" and f.key not in raw]
    if len(text_fields) == 1 and len(pieces) > 1 and len(fields) == 1:
        pieces = [" ".join(pieces)]
    for f in text_fields:
        if pieces:
            raw[f.key] = strip_labels(pieces.pop(0), _labels(f, content)) or None
    described = next((f.key for f in fields if f.free_text and raw.get(f.key)), None)
    if described and pieces:  # "想学电工，最好是周末班": the rest of a description is still the description
        raw[described] = "，".join([raw[described], *pieces])
    for f in fields:
        if f.person_name and isinstance(raw.get(f.key), str):
            _split_kin(f, raw, content)
    for relation in set(RELATION_OF.values()) & {f.key for f in fields}:
        if isinstance(raw.get(relation), str):  # "我妈", "老婆": the relation the everyday word states
            raw[relation] = content.kin_words.get(MY.sub("", raw[relation]), raw[relation])
    result = Extracted()
    for f in fields:
        if raw.get(f.key) is None:
            continue
        try:
            result.values[f.key] = clean_value(f, raw[f.key], ctx.regions,
                                               ctx.profile.region_scope(f))
        except FieldValueError as exc:
            result.problems[f.key] = str(exc)
    if len(fields) == 1 and not result.values and not result.problems:
        result.problems[fields[0].key] = _why_not(fields[0], text, ctx)
    return result


def _joined_address_tails(pieces: list[str]) -> list[str]:
    joined: list[str] = []
    for piece in pieces:
        if joined and STREET_END.search(joined[-1]) and ADDRESS_TAIL.fullmatch(piece):
            joined[-1] += piece
        else:
            joined.append(piece)
    return joined


def _split_kin(f: Field, raw: dict, content: Content) -> None:
    """"我妈李秀英" → the name 李秀英, and 母亲 for the relation when the message gives none."""
    kin = _kin_before_name(tuple(content.kin_words)).match(raw[f.key])
    if kin is None:
        return
    raw[f.key] = raw[f.key][kin.end():]
    relation = RELATION_OF.get(f.key)
    if relation is not None and raw.get(relation) is None:
        raw[relation] = content.kin_words[kin[1]]


@lru_cache
def _kin_before_name(words: tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    return re.compile(rf"是?我的?({alternatives})(?:是|叫)?(?=..)")


def labelled(asked: list[str], others: list[str], text: str, ctx: Context, content: Content) -> tuple[dict, str]:
    """Values the message gives for fields not asked yet, by their label ("部队代号61234", "住在成都市
    锦江区春熙路8号") or as the very name of an option only one of them has ("汉族", "大专"); and the
    text left for the asked ones. A piece belongs to the field whose label in it is longest, so
    "紧急联系电话…" stays with the emergency contact even when the phone is missing."""
    found, left = {}, []
    for piece in u.segments(text):
        owner = _owner(piece, asked, others, ctx, content)
        value = _labelled_value(owner, piece, ctx, content) if owner in others and owner not in found else None
        if value is None:
            left.append(piece)
        else:
            found[owner] = value
    return found, "，".join(left)


def _owner(piece: str, asked: list[str], others: list[str], ctx: Context, content: Content) -> str | None:
    """The field whose label in `piece` is longest; else, unless an asked free-text field usually holds
    it, the one choice field that has `piece` as an option or an everyday name of one."""
    fields, keys = ctx.profile.fields, asked + others
    named = [(len(word), key) for key in keys for word in _labels(fields[key], content) if word in piece]
    if named:
        return max(named)[1]
    if any(word in piece for key in asked for word in content.text_hints.get(key, ())):
        return None  # "父亲" asked as the emergency contact's relation is not 与户主关系, an option of it
    owners = [key for key in keys if fields[key].type == "choice" and (
        piece in fields[key].options or any(piece in words for words in content.synonyms.get(key, {}).values()))]
    return owners[0] if len(owners) == 1 else None


def _labelled_value(key: str, piece: str, ctx: Context, content: Content):
    f = ctx.profile.fields[key]
    # Free text only right after its label: "住在春熙路" yes, "春熙路的地址" no.
    if f.type == "text" and not NAME_MARKERS.sub("", piece.strip()).startswith(tuple(_labels(f, content))):
        return None
    return extract([key], piece, ctx, content).values.get(key)


def _is_other_number(piece: str) -> bool:
    number = u.find_id_number(piece) or u.find_phone(piece) or u.find_bank_account(piece)
    return bool(number) and len(piece) - (number[1][1] - number[1][0]) <= 4


def _why_not(f: Field, text: str, ctx: Context) -> str:
    """The precise reason a single answer was not understood, from the form's own check; a number field is
    checked on the longest number said, so "身份证号51010419990315011" is 17 digits, not 21 characters."""
    said = u.normalise(text)
    if f.type in NUMBER_TYPES and (numbers := [re.sub(r"[\s-]", "", n) for n in NUMBER_SAID.findall(said)]):
        said = max(numbers, key=len)
    try:
        clean_value(f, said, ctx.regions, ctx.profile.region_scope(f))
    except FieldValueError as exc:
        return str(exc)
    return f"没有识别到{f.label}"


def opportunistic(text: str, ctx: Context, known: dict) -> dict:
    """Values that are unmistakable wherever they appear: an ID number, a mobile number, a name after 我叫."""
    found = {}
    fields = ctx.profile.fields
    if "id_number" not in known and (hit := u.find_id_number(text)):
        try:
            found["id_number"] = clean_value(fields["id_number"], hit[0], ctx.regions)
        except FieldValueError:
            pass
    if "phone" not in known and (hit := u.find_phone(text)):
        found["phone"] = hit[0]
    if "name" not in known and (match := NAME_SAID.search(_said_whole_name(text))):
        found["name"] = match[1]
    return found


def from_given(given: dict, ctx: Context) -> Extracted:
    """Values from tapped buttons or pickers, checked like typed ones."""
    result = Extracted()
    for key, value in given.items():
        f = ctx.profile.fields.get(key)
        if f is None:
            continue
        try:
            result.values[key] = clean_value(f, value, ctx.regions,
                                             ctx.profile.region_scope(f))
        except FieldValueError as exc:
            result.problems[key] = str(exc)
    return result
