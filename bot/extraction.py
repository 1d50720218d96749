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
from catalog.field_values import HAN, NEVER_IN_NAMES, FieldValueError, clean_value
from catalog.profile import Field

TYPE_ORDER = ["id_number", "phone", "bank_account", "date", "choice", "yes_no", "region", "text"]
# "我叫", "我的名字是", and a relative typing for the veteran: "他叫", "她的名字叫", "俺儿子叫", "我老公叫", "他爸叫".
NAME_MARKERS = re.compile(rf"^(?:(?:我|俺)的?(?:名字|姓名)?(?:是|叫)|(?:(?:我|俺|他|她)家?的?[{HAN}]{{1,2}}?|他|她)的?(?:名字|姓名)?叫"
                          r"|(?:名字|姓名)(?:是|叫|为)?|名叫|叫做?|本人)")
# "不过籍贯是…", "但是出生地…": the word that joins the clause to the one before is no part of the answer.
CONNECTIVE = re.compile(r"^(?:不过|但是|可是|只是|只不过|另外|还有|其中)")
# "我住在春熙路88号", "我住…", "(入伍地址就是)家里东大街88号": no part of the address.
LIVES_AT = re.compile(r"^(?:(?:我|俺)家?现?住在?|家?现?住在|家住|(?:我|俺)?家里)")
# "我叫王磊", "俺叫王磊", "我的名字是王磊": a name said anywhere in a message.
NAME_SAID = re.compile(rf"(?:(?:我|俺)(?:的名字)?叫|我的名字是|名叫)([{HAN}·]{{2,10}}?)(?=[,，。;；\s]|身份证|手机|$)")
# "我姓王，叫王磊", "姓王名磊": the surname first, then the name, whole or given only.
SURNAME_FIRST = re.compile(rf"(?:我|俺)?姓([{HAN}]{{1,2}})[,，\s]*(?:名字叫|名叫|叫|名)([{HAN}·]{{1,10}}?)"
                           r"(?=[,，。;；\s]|身份证|手机|$)")
SURNAME_ALONE, GIVEN_NAME = re.compile(f"[{HAN}]"), re.compile(f"[{HAN}]{{1,2}}")  # "张 三", "王 小明"
YES_NO_BESIDE_OTHERS = 4  # characters
PLACE_NAMED = re.compile(rf"[{HAN}]{{2,}}(?:省|市|区|县|州|旗|盟)")
# What is left of "嗯，我想想，应该是2018年9月吧" or "24年9月退的" once the date is taken: no answer to anything.
CHATTER = re.compile(r"(?:嗯|啊|哦|呃|额|哈|我想想|想想|让我想想|应该是|应该|大概是|大概|可能是|可能|好像是|好像|吧|呢|了|的|他|她"
                     r"|入伍|参军|当兵|退伍|退役|退|去|走|回来|到|至)+")  # "2019年9月到2024年9月"
# "红星路1号，3栋2单元501": the building, unit and flat after a comma still belong to the street address.
ADDRESS_TAIL = re.compile(r"(?:\d+(?:栋|幢|号楼|单元|楼|层|室|号|户)[\dA-Za-z-]*)+")
STREET_END = re.compile(r"(?:[路街道巷弄村号组]|小区|大厦|花园|公寓)$")
# The field that holds how the veteran is related to the person a name field names.
RELATION_OF = {"emergency_contact_name": "emergency_contact_relation"}
# The bank account's bank: its name starts with a bank the social security card question names.
BANK_NAME, BANKS_KNOWN = "bank_name", "card_bank"
AFTER_STREET = re.compile(r"(?:[路街道巷弄村组]|小区|大厦|花园|公寓|\d+(?:栋|幢|号楼|单元|楼|层|室|号|户))(?=[^\d])")
MY = re.compile(r"^是?我的?|的$")  # "是我妈" → "妈"
NUMBER_TYPES = {"id_number", "phone", "bank_account"}
NUMBER_SAID = re.compile(r"\d(?:[\d\sXx-]*[\dXx])?")  # with the spaces and dashes people put in, and an X anywhere
LABEL_GLUE = re.compile(r"^(?:就是|[是为:：\s])+|[是:：\s]+$")  # "姓名为张有为": the leading 为 only; "电话是"
# "紧急联系人就是我，我叫张秀芳" (his mother typing): the person is the one typing, named by "我叫…" if at all.
SELF = re.compile(r"(?:我|俺)(?:自己|本人)?|本人|自己")


@dataclass
class Extracted:
    values: dict = field(default_factory=dict)
    problems: dict = field(default_factory=dict)


def _labels(f: Field, content: Content) -> list[str]:
    return sorted({f.label, *content.field_aliases.get(f.key, ())}, key=len, reverse=True)


def strip_labels(text: str, words: list[str]) -> str:
    text = LIVES_AT.sub("", NAME_MARKERS.sub("", CONNECTIVE.sub("", text.strip())))
    for word in words:
        if text.startswith(word):
            text = text[len(word):]
        elif text.endswith(word):
            text = text[: -len(word)]
    return LIVES_AT.sub("", LABEL_GLUE.sub("", text))  # "入伍地址就是家里东大街88号"


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
    if len(fields) > 1:
        pieces = [part for piece in pieces for part in _cut(piece, fields, ctx, content)]
    person_asked = any(f.person_name for f in fields)
    if person_asked:
        pieces = _spaced_names_joined(pieces)
    raw, unclear = {}, {}
    # 1. A piece that names a slot's label (the longest label in it) and holds a value of its type; a number
    #    beside a number field's label is that field's, right or wrong ("手机1380013800": no other's phone).
    for f in fields:
        labels = _labels(f, content)
        for i, piece in enumerate(pieces):
            if f.type != "text" and _label_owner(piece, fields, content) is f:
                said = strip_labels(piece, labels)
                found = _find(f, said, ctx, content)
                if found is None and f.type in NUMBER_TYPES and (number := _longest_number(said)):
                    found = (number,)
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
            elif f.type == "region":
                try:
                    raw[f.key] = _place_across(pieces, f, ctx)
                except ValueError as exc:  # "朝阳区" with no city: which one is asked, not dropped
                    unclear[f.key] = str(exc)
            # "510104199903150X17" beside the county: a number, and the only number asked, is told what is wrong
            wrong = next((i for i, p in enumerate(pieces) if _is_number_said(p)), None)
            if wrong is not None and f.type in NUMBER_TYPES and sum(g.type in NUMBER_TYPES for g in fields) == 1:
                raw[f.key] = _longest_number(pieces.pop(wrong))
    # 3. Text slots: a piece that starts with the slot's label first, then what is left, in order;
    #    a piece that is an unmistakable number of another field (答非所问) is not text.
    if any(f.address for f in fields):
        pieces = _joined_address_tails(pieces)
    words = [w for f in fields for w in _labels(f, content)]
    # Label words left over are no answer ("电话" of "紧急联系人电话13700137000", "银行是" of "银行是农行"),
    # nor is "我" where a person is asked.
    pieces = [p for p in pieces if not _is_other_number(p) and not CHATTER.fullmatch(p)
              and not any(LABEL_GLUE.sub("", p) in w for w in words)
              and not (person_asked and SELF.fullmatch(strip_labels(p, words)))]
    for f in fields:
        if f.type == "text" and f.key not in raw:
            labels = _labels(f, content)
            at = next((i for i, p in enumerate(pieces) if f.pattern and re.fullmatch(f.pattern, p)), None)
            if at is not None:  # "32145部队" is the unit code, wherever it stands
                raw[f.key] = pieces.pop(at)
                continue
            at = next((i for i, p in enumerate(pieces) if any(p.startswith(w) for w in labels)
                       or f.person_name and _names_someone(p)), None)  # "帮我老公办，他叫赵刚": 赵刚
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
    for f in text_fields:  # "天河区" is no one's name, nor how someone is related
        at = next((i for i, p in enumerate(pieces) if f.address or not _is_place(PLACE_NAMED.fullmatch(p), ctx)), None)
        if at is not None:
            raw[f.key] = strip_labels(pieces.pop(at), _labels(f, content)) or None
    described = next((f.key for f in fields if f.free_text and raw.get(f.key)), None)
    if described and pieces:  # "想学电工，最好是周末班": the rest of a description is still the description
        raw[described] = "，".join([raw[described], *pieces])
    for f in fields:
        if f.person_name and isinstance(raw.get(f.key), str):
            _split_kin(f, raw, content)
            raw[f.key] = _name_only(raw[f.key])
    for relation in set(RELATION_OF.values()) & {f.key for f in fields}:
        if isinstance(raw.get(relation), str):  # "我妈", "老婆": the relation the everyday word states
            raw[relation] = content.kin_words.get(MY.sub("", raw[relation]), raw[relation])
    result = Extracted(problems=unclear)
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


def _cut(piece: str, fields: list[Field], ctx: Context, content: Content) -> list[str]:
    """One piece said without punctuation (voice input) cut as if it had been punctuated: before each label
    of an asked field, and around each value its form shows (numbers, dates, "32145部队", …), a value taking
    along the label or the 电话/是 just before it; "2019年9月入伍": a date takes the date's label after it."""
    labels = {w: f for f in fields for w in _labels(f, content)}
    said = _occurrences(piece, labels)
    cuts, taken = {0, len(piece)}, []  # taken: the spans of values with their labels
    for start, end, kind in _values(piece, fields, ctx, content):
        if any(start < e and s < end for s, e in taken):
            continue
        before = re.sub(r"[是为:：]+$", "", piece[:start])
        lead = max((w for w in _lead_words(kind, ctx, content) if before.endswith(w)
                    and not any(s < len(before) - len(w) < e for s, e in taken)), key=len, default="")
        if kind == "date" and not lead and (end, "date") in {(s, labels[w].type) for s, w in said}:
            end += next(len(w) for s, w in said if s == end)  # "2019年9月入伍"
        start = len(before) - len(lead) if lead else start
        cuts.add(start)
        if kind != BANK_NAME:  # the bank is only where its name starts
            cuts.add(end)
        taken.append((start, end))
    cuts |= {s for s, _ in said if not any(a < s < b for a, b in taken)}
    if any(f.type == "region" for f in fields):  # "红星路1号新疆喀什市": the place after a street is another value
        cuts |= {m.end() for m in AFTER_STREET.finditer(piece) if _is_place(PLACE_NAMED.match(piece, m.end()), ctx)}
    bounds = sorted(cuts)
    return [part for a, b in zip(bounds, bounds[1:]) if (part := piece[a:b].strip())]


def _place_across(pieces: list[str], f: Field, ctx: Context) -> str | None:
    """"我现在回长春了，家在朝阳区这边": the county said in pieces of chatter, its city perhaps in another
    (no street address: "锦江区红星路1号" is an address); the pieces naming it are used up."""
    said = [p for p in pieces if not (AFTER_STREET.search(p) or STREET_END.search(p))]
    region = u.find_region_across("，".join(said), ctx.regions, ctx.profile.region_scope(f))
    if region is None:
        return None
    within = {region.code, *ctx.regions.parent_codes(region.code)}
    pieces[:] = [p for p in pieces if p not in said or not within & {r.code for r, *_ in ctx.regions.named_in(p)}]
    return region.code


def cut_at_options(piece: str, keys: list[str], ctx: Context, content: Content) -> list[str]:
    """A piece naming two options or more of the choice fields `keys` ("汉族大专未婚健康"), cut around
    each option's name, everyday ones too; any other piece ("健康路1号") as it is."""
    fields, synonyms = ctx.profile.fields, content.synonyms
    words = {w for k in keys if fields[k].type == "choice" for option in fields[k].options
             for w in (option, *synonyms.get(k, {}).get(option, ())) if len(w) >= 2}
    named = list(re.finditer("|".join(sorted(map(re.escape, words), key=len, reverse=True)), piece)) if words else []
    if len(named) < 2:
        return [piece]
    bounds = sorted({0, len(piece), *(m.start() for m in named), *(m.end() for m in named)})
    return [piece[a:b] for a, b in zip(bounds, bounds[1:])]


def _is_place(match: re.Match | None, ctx: Context) -> bool:
    try:
        return bool(match) and bool(u.find_region(match[0], ctx.regions))
    except ValueError:
        return False


def _occurrences(piece: str, labels: dict[str, Field]) -> list[tuple[int, str]]:
    """Where the labels stand in `piece`, the longest at a place, none inside another."""
    found, i = [], 0
    while i < len(piece):
        word = max((w for w in labels if piece.startswith(w, i)), key=len, default=None)
        if word:
            found.append((i, word))
            i += len(word)
        else:
            i += 1
    return found


def _values(piece: str, fields: list[Field], ctx: Context, content: Content):
    """(start, end, type) of the values `piece` shows by their form, in order of how sure the form is."""
    forms = []
    if any(f.key == BANK_NAME for f in fields):  # "…喀什市工商银行锦江支行": a bank's name starts at the bank
        banks = sorted(map(re.escape, _banks(content)), key=len, reverse=True)
        forms.append((re.compile("|".join(banks)), BANK_NAME))
    forms += [(u.ID_NUMBER, "id_number"), (u.MOBILE, "phone"), (u.LONG_DIGITS, "bank_account")]
    if any(f.landline_allowed for f in fields):
        forms.append((u.LANDLINE, "phone"))
    if any(f.type == "date" for f in fields):
        forms += [(u.NUMERIC_DATE, "date"), (u.CN_DATE, "date"), (u.RELATIVE_DATE, "date")]
    forms += [(re.compile(rf"(?<![\dA-Za-z])(?:{f.pattern})(?![\dA-Za-z])"), f.key) for f in fields if f.pattern]
    patterns = {f.key: f.pattern for f in fields if f.pattern}
    return [(match.start(), match.end(), kind) for pattern, kind in forms for match in pattern.finditer(piece)
            if kind not in patterns or re.fullmatch(patterns[kind], match[0])]  # as the form checks it


def _banks(content: Content) -> set[str]:
    """The banks the social security card question names, by their names and everyday ones."""
    return {w for option, words in content.synonyms.get(BANKS_KNOWN, {}).items() for w in (option, *words)}


def _lead_words(kind: str, ctx: Context, content: Content) -> set[str]:
    """What may stand just before a value of `kind` as its label: "身份证", "卡号", "电话" (紧急联系人…电话)."""
    of_kind = [f for f in ctx.profile.fields.values() if f.type == kind or f.key == kind]
    return {w for f in of_kind for w in _labels(f, content)} | ({"电话", "号码"} if kind == "phone" else set())


def _names_someone(piece: str) -> bool:
    """"他叫赵刚", "我的名字是王磊": a name said as one ("我是自主就业的" is not)."""
    marker = NAME_MARKERS.match(piece)
    return bool(marker) and any(word in marker[0] for word in ("叫", "名"))


def _spaced_names_joined(pieces: list[str]) -> list[str]:
    """"张 三": a surname alone and the given name after it are one name (not "是 王磊": a yes, then a name)."""
    joined: list[str] = []
    for piece in pieces:
        if joined and SURNAME_ALONE.fullmatch(joined[-1]) and u.find_yes_no(joined[-1]) is None \
                and GIVEN_NAME.fullmatch(piece):
            joined[-1] += piece
        else:
            joined.append(piece)
    return joined


def _name_only(said: str) -> str:
    """"王磊今年刚退伍" (voice input): the name ends where words no name holds begin."""
    end = next((m.start() for m in NEVER_IN_NAMES.finditer(said) if m.start() >= 2), None)
    return said[:end] if end and not NEVER_IN_NAMES.search(said[:end]) else said


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
    return re.compile(rf"是?(?:(?:我|俺|他|她)的?)?({alternatives})(?:是|叫)?(?=..)")  # "爱人刘燕", "他爸李建军"


def labelled(asked: list[str], others: list[str], text: str, ctx: Context, content: Content) -> tuple[dict, str]:
    """Values the message gives for fields not asked yet, by their label ("部队代号61234", "住在成都市
    锦江区春熙路8号") or as the very name of an option only one of them has ("汉族", "大专"); and the
    text left for the asked ones. A piece belongs to the field whose label in it is longest, so
    "紧急联系电话…" stays with the emergency contact even when the phone is missing."""
    found, left, previous, unfilled = {}, [], None, None
    for piece in u.segments(text):
        # "退役时间不是9月，是2024年10月": the value after a label that gave none is that label's
        owner = _owner(piece, asked, others, ctx, content) or _next_number_field(previous, piece, others, ctx, content) \
            or unfilled
        value = _labelled_value(owner, piece, ctx, content) if owner in others and owner not in found else None
        if value is None:
            left.append(piece)
        else:
            found[owner] = value
        previous, unfilled = owner, owner if value is None and owner != unfilled else None
    return found, "，".join(left)


def _next_number_field(previous: str | None, piece: str, others: list[str], ctx: Context,
                       content: Content) -> str | None:
    """"紧急联系人：周大山，父子，138…", "工商银行锦江支行 6222…": a bare number right after a piece of a group
    of questions is the number of its kind the group asks next."""
    group = content.group_of(previous) if previous else None
    if group is None:
        return None
    fields = ctx.profile.fields
    after = [fields[key] for key in group.slots[group.slots.index(previous) + 1:] if key in others]
    return next((f.key for f in after if f.type in NUMBER_TYPES
                 and (hit := _find(f, piece, ctx, content)) and hit[1] == (0, len(piece))), None)


def _owner(piece: str, asked: list[str], others: list[str], ctx: Context, content: Content) -> str | None:
    """The field whose label in `piece` is longest; else, unless an asked free-text field usually holds
    it, the one choice field that has `piece` as an option or an everyday name of one."""
    fields, keys = ctx.profile.fields, asked + others
    named = _label_owner(piece, [fields[key] for key in keys], content)
    if named is not None:
        return named.key
    if any(word in piece for key in asked for word in content.text_hints.get(key, ())):
        return None  # "父亲" asked as the emergency contact's relation is not 与户主关系, an option of it
    said = piece[copula.end():] if (copula := u.COPULA.match(piece)) else piece  # "我是党员"
    owners = [key for key in keys if fields[key].type == "choice" and (
        said in fields[key].options or any(said in words for words in content.synonyms.get(key, {}).values()))
        or piece in content.text_hints.get(key, ()) or _described(fields[key], piece, content)]  # "陆军"
    if not owners:  # "32145部队", "工商银行锦江支行": a value only one field takes
        owners = [key for key in keys if _only_of(fields[key], piece, content)]
    return owners[0] if len(owners) == 1 else None


def _only_of(f: Field, piece: str, content: Content) -> bool:
    """Whether `piece` is wholly a value of `f`'s form: its pattern, a bank's branch ("工商银行锦江支行").
    No place ("成都市锦江区" may be the 办理地 said again) and no bare number (a mistyped phone number)."""
    if f.pattern:  # with words the pattern holds ("32145部队"): letters and digits alone fit many a field
        return bool(re.search(f"[{HAN}]", piece) and re.fullmatch(f.pattern, piece))
    return f.key == BANK_NAME and piece.startswith(tuple(_banks(content))) and piece not in _banks(content)


def _described(f: Field, piece: str, content: Content) -> bool:
    """"想学电工": a description in the words that say what it describes (the training wanted)."""
    return f.free_text and any(word in piece for word in content.text_hints.get(f.key, ()))


def _labelled_value(key: str, piece: str, ctx: Context, content: Content):
    f = ctx.profile.fields[key]
    # Free text only right after its label ("住在春熙路" yes, "春熙路的地址" no), as a whole word it holds ("陆军"),
    # as a description ("想学电工") or in a form only it takes ("32145部队", "工商银行锦江支行").
    labels, said = tuple(_labels(f, content)), piece.strip()
    if f.type == "text" and not any(p.startswith(labels) for p in (said, NAME_MARKERS.sub("", said))) \
            and piece not in content.text_hints.get(key, ()) and not _described(f, piece, content) \
            and not _only_of(f, piece, content):
        return None
    return extract([key], piece, ctx, content).values.get(key)


def _label_owner(piece: str, fields: list[Field], content: Content) -> Field | None:
    """The field whose label in `piece` is longest: "紧急联系电话…" is the contact's, not the 联系电话's."""
    return max(((len(w), f) for f in fields for w in _labels(f, content) if w in piece),
               key=lambda named: named[0], default=(0, None))[1]


def _longest_number(text: str) -> str | None:
    """The longest number said, as typed ("51010419990315011", "510104199903150X17"), without its spaces."""
    numbers = [re.sub(r"[\s-]", "", n) for n in NUMBER_SAID.findall(u.normalise(text))]
    return max(numbers, key=len, default=None)


def _is_number_said(piece: str) -> bool:
    """"510104199903150X17", "1380013800": a long number and little else, valid or not."""
    number = _longest_number(piece) or ""
    return len(number) >= 7 and len(piece) - len(number) <= 4


def _is_other_number(piece: str) -> bool:
    number = u.find_id_number(piece) or u.find_phone(piece) or u.find_bank_account(piece)
    return bool(number) and len(piece) - (number[1][1] - number[1][0]) <= 4


def _why_not(f: Field, text: str, ctx: Context) -> str:
    """The precise reason a single answer was not understood, from the form's own check; a number field is
    checked on the longest number said, so "身份证号51010419990315011" is 17 digits, not 21 characters."""
    said = u.normalise(text)
    if f.type in NUMBER_TYPES and (number := _longest_number(said)):
        said = number
    try:
        clean_value(f, said, ctx.regions, ctx.profile.region_scope(f))
    except FieldValueError as exc:
        return str(exc)
    return f"没有识别到{f.label}"


def opportunistic(text: str, ctx: Context, content: Content, known: dict) -> dict:
    """Values that are unmistakable wherever they appear: an ID number, a mobile number no other field's label
    claims, a name after 我叫."""
    found = {}
    fields = ctx.profile.fields
    if "id_number" not in known and (hit := u.find_id_number(text)):
        try:
            found["id_number"] = clean_value(fields["id_number"], hit[0], ctx.regions)
        except FieldValueError:
            pass
    if "phone" not in known and (phone := _own_phone(text, ctx, content)):
        found["phone"] = phone
    if "name" not in known and (match := NAME_SAID.search(_said_whole_name(text))):
        found["name"] = match[1]
    return found


def _own_phone(text: str, ctx: Context, content: Content) -> str | None:
    """The first mobile number not labelled for another field: in "身份证…手机138…紧急联系人电话139…" the
    label nearest before a number (the longest of those ending there) says whose it is."""
    for piece in u.segments(text):
        hit = u.find_phone(piece)
        if hit is not None and _nearest_label(piece[:hit[1][0]], ctx, content) in (None, "phone"):
            return hit[0]
    return None


def _nearest_label(before: str, ctx: Context, content: Content) -> str | None:
    """The key of the field whose label ends last in `before`, the longest label where several end there."""
    ends = [(found + len(word), len(word), f.key) for f in ctx.profile.fields.values()
            for word in _labels(f, content) if (found := before.rfind(word)) >= 0]
    return max(ends)[2] if ends else None


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
