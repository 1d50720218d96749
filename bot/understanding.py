"""Reading values out of what people type: dates in every common form, yes and no, numbers,
choices by their everyday names, places by name at any level.

Each `find_*` returns the value and the span it was found at, or None; nothing here decides
which question the value answers (that is bot/extraction.py).
"""
import re

from catalog.china_time import today_in_china
from catalog.regions import RegionAmbiguous, RegionDirectory
from security.number_masking import SPOKEN_DIGITS

FULL_WIDTH = str.maketrans("０１２３４５６７８９ＸｘＡＢＣ，；：（）－　", "0123456789XxABC,;:()- ")
CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
SEPARATORS = re.compile(r"[,;，；、。\s]+")

ID_NUMBER = re.compile(r"(?<!\d)(?:\d[ -]?){17}[\dXx](?!\d)")  # "440106 19990315 2117", "510104-1999-…"
# Numbers read out digit by digit, as voice input writes them ("幺三八…", radio style "洞幺"): a run this
# long is a number, never a date ("二〇一八年" is four) or a word.
SPOKEN_NUMBER = re.compile(f"[{SPOKEN_DIGITS[0]}]{{7,}}|[{SPOKEN_DIGITS[0]}]{{4,5}}(?=部队)")  # and "三二一四五部队"
AS_SPOKEN = str.maketrans(*SPOKEN_DIGITS)
MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d[- ]?\d{4}[- ]?\d{4})(?!\d)")
LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}-?\d{7,8})(?!\d)")
# "6222 0202 …", "6222-0202-…"; not the digits before an X ("510104199903150X17" is a mistyped ID number)
LONG_DIGITS = re.compile(r"(?<!\d)(\d[\d -]{10,26}\d)(?![\dXx])")
# A day runs to no further digit: "2019年9月2024年9月" is two months, not 2019-09-20.
NUMERIC_DATE = re.compile(r"(?<!\d)(\d{4}|\d{2})\s*[年./-]\s*(\d{1,2})(?:\s*[月./-]\s*(\d{1,2})(?!\d)\s*[日号]?|\s*月)?")
# "二〇一八年九月", and as voice input mixes them: "2019年九月", "零九年12月".
CN_DATE = re.compile(r"(?<!\d)(\d{4}|\d{2}|[〇零○一二三四五六七八九]{2,4})年(\d{1,2}|[一二三四五六七八九十]{1,3})月"
                     r"(?:(\d{1,2}|[一二三四五六七八九十]{1,3})[日号])?")
# "前年9月", "今年九月": a month of a year counted back from this one; "本月", "上个月": a month counted back.
RELATIVE_DATE = re.compile(r"(大前|前|去|今)年(\d{1,2}|[一二三四五六七八九十]{1,3})月|(本|这个?|当|上个?|下个?)月")
YEARS_BACK = {"今": 0, "去": 1, "前": 2, "大前": 3}
MONTHS_BACK = {"本": 0, "这": 0, "这个": 0, "当": 0, "上": 1, "上个": 1, "下": -1, "下个": -1}

YES_DESPITE_NEGATION = ("没错", "不错", "没问题", "没有问题", "没毛病", "没意见", "没有意见", "不用改", "不需要改",
                        "没有要改", "没什么要改")
NO_WORDS = ("不是", "没有", "没", "不需要", "不要", "不用", "否", "无", "暂无", "不", "未", "错", "算了", "No", "no")
YES_WORDS = ("是的", "是", "对", "有", "要", "需要", "嗯", "好", "可以", "确认", "没错", "正确", "注销了", "已注销", "愿意",
             "yes", "Yes", "ok", "OK")
YES_ONLY_ALONE = ("行", "行的", "行吧")  # 行 is also in 银行, 步行, 执行
# Words that open a spoken answer: the longest first ("是的" before "是"), denials before what they contain.
LEADING_ANSWERS = (("不是的", False), ("不对", False), ("不是", False), ("是的", True), ("对的", True), ("好的", True),
                   ("没错", True), ("可以", True), ("对", True), ("嗯", True), ("好", True))
# "不是逐月领取退役金的，是自主就业", "我不是中共党员": what follows a denial up to the clause's end (or
# the "是" that says what it is instead) names no option, nor does any shorter name inside it.
DENIAL = re.compile(r"(?:不是|并非|不属于|非)([^,，。；;、!！?？]*?)(?=而是|是|[,，。；;、!！?？]|$)")
# "我是复员军官", "不过我是自主就业的": 是 joining a person to what they are, no answer "是"
# ("就是这样", "那是当然" still are).
COPULA = re.compile(r"(?:我|你|他|她|俺)是(?=[\u4e00-\u9fff]{2})")
UNSURE_WORDS = ("不清楚", "不知道", "不确定", "说不好", "不记得", "忘了")  # neither yes nor no


def normalise(text: str) -> str:
    text = SPOKEN_NUMBER.sub(lambda m: m[0].translate(AS_SPOKEN), text)
    return text.translate(FULL_WIDTH).strip()


# Not after "2024.9" or "2024-09": "退役2024.9 32145部队" are two values.
DIGIT_GAPS = re.compile(r"(?<=\d)(?<![.-]\d)(?<![.-]\d\d) (?=\d)")


def segments(text: str) -> list[str]:
    """The parts of a message, split at punctuation and spaces; "138 0013 8000" stays one number."""
    return [s for s in SEPARATORS.split(DIGIT_GAPS.sub("", normalise(text))) if s]


# What may open a clause just before its topic's word: "不服预备役", "没有培训需求", "也要学".
CLAUSE_OPENERS = "不没有无未要需想服参加也还都已再"


def clauses(piece: str, topics: list[tuple[str, ...]]) -> list[str]:
    """One unpunctuated piece (voice input: "户口注销了有培训需求不服预备役") cut where the next topic's
    first word begins, taking along the yes or no words just before it; `topics` are word lists. Words
    that touch ("想学开车") stay one clause."""
    found = sorted({min((piece.find(w), -len(w)) for w in words if w in piece) for words in topics
                    if any(w in piece for w in words)})
    cuts, previous_end = [0], None
    for start, minus_length in found:
        if previous_end is not None and start > previous_end:
            cut = start
            while cut > previous_end and piece[cut - 1] in CLAUSE_OPENERS:
                cut -= 1
            cuts.append(cut)
        previous_end = start - minus_length
    return [piece[a:b] for a, b in zip(cuts, cuts[1:] + [len(piece)])]


LIST_NUMBER = re.compile(r"(?<!\d)[1-9][.、．)）:：]?(?!\d)")


def listed_answers(text: str) -> list[str]:
    """"是，否，否" or "1是2否3否": the answers to a numbered list of questions, in its order."""
    return [p for s in segments(text) for p in LIST_NUMBER.split(s) if p]


def _year(raw: str) -> int:
    year = int(raw)
    if len(raw) == 2:
        year += 2000 if year < 50 else 1900
    return year


def _cn_number(raw: str) -> int:
    """一 … 三十一 (or 1 … 31) as a number."""
    if raw.isdigit():
        return int(raw)
    if "十" not in raw:
        return CN_DIGITS[raw]
    tens, _, ones = raw.partition("十")
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)


def find_date(text: str) -> tuple[str, tuple[int, int]] | None:
    """"2018年9月", "18年9月", "二〇一八年九月", "2018.9", "2018-09-01" → "2018-09" / "2018-09-01"."""
    text = normalise(text)
    match = NUMERIC_DATE.search(text)
    if match:
        year, month, day = _year(match[1]), int(match[2]), match[3]
    elif match := CN_DATE.search(text):
        year = _year("".join(str(CN_DIGITS.get(c, c)) for c in match[1]))  # "零九年": 2009
        month, day = _cn_number(match[2]), match[3] and _cn_number(match[3])
    elif match := RELATIVE_DATE.search(text):
        today, day = today_in_china(), None
        if match[3] is None:
            year, month = today.year - YEARS_BACK[match[1]], _cn_number(match[2])
        else:
            year, month = divmod(today.year * 12 + today.month - 1 - MONTHS_BACK[match[3]], 12)
            month += 1
    else:
        return None
    if not 1 <= month <= 12:
        return None
    value = f"{year:04d}-{month:02d}" + (f"-{int(day):02d}" if day else "")
    return value, match.span()


YEAR_SAID = re.compile(r"(?<!\d)(?:\d{2}|\d{4}|[〇零○一二三四五六七八九]{2,4})年")


def is_vague_date(text: str) -> bool:
    """"19年秋天", "2019年底": a year with no month, which is no date to guess from."""
    return bool(YEAR_SAID.search(normalise(text))) and find_date(text) is None


def is_unsure(text: str) -> bool:
    return any(word in text for word in UNSURE_WORDS)


def split_leading_answer(text: str) -> tuple[bool, str] | None:
    """"是的汉族高中未婚健康" (voice input, no punctuation): the yes or no it opens with, and the rest;
    None when it opens with neither or is nothing more."""
    text = normalise(text)
    for word, yes in LEADING_ANSWERS:
        if text.startswith(word) and len(text) > len(word):
            return yes, text[len(word):]
    return None


def find_yes_no(text: str) -> bool | None:
    text = normalise(text)
    if text.strip(" 。.!！~") in YES_ONLY_ALONE:
        return True
    if is_unsure(text):
        return None
    if any(word in text for word in YES_DESPITE_NEGATION):
        return True
    text = COPULA.sub("", text)
    if any(word in text for word in NO_WORDS):
        return False
    return True if any(word in text for word in YES_WORDS) else None


def says_yes_to(question, text: str) -> bool:
    """"好" (which also greets) alone, to a question a yes answers: a yes/no one or the proposed matters."""
    return (question.type == "yes_no" or question.kind == "matters") and text.strip(" 。.!！~") in YES_WORDS


def find_id_number(text: str) -> tuple[str, tuple[int, int]] | None:
    match = ID_NUMBER.search(normalise(text))
    return (re.sub(r"[ -]", "", match[0]).upper(), match.span()) if match else None


def find_phone(text: str, landline_allowed: bool = False) -> tuple[str, tuple[int, int]] | None:
    text = normalise(text)
    match = MOBILE.search(text)
    if match:
        return re.sub(r"[- ]", "", match[1]), match.span()
    if landline_allowed and (match := LANDLINE.search(text)):
        return match[1], match.span()
    return None


def find_bank_account(text: str) -> tuple[str, tuple[int, int]] | None:
    match = LONG_DIGITS.search(normalise(text))
    if not match:
        return None
    digits = re.sub(r"[ -]", "", match[1])
    return (digits, match.span()) if 12 <= len(digits) <= 19 else None


# An option's name said without this end ("汉", "回", "满") names it only as the whole answer.
SHORT_FORM_END = "族"


def find_choice(text: str, options: tuple[str, ...], synonyms: dict[str, tuple[str, ...]]) -> tuple[str, tuple[int, int]] | None:
    """The option named in `text`, by its own name or an everyday one, and not denied ("不是党员");
    the longest name wins."""
    text = normalise(text)
    names = [(option, option) for option in options]
    names += [(option, word) for option, words in synonyms.items() for word in words if option in options]
    denied = [m.span(1) for m in DENIAL.finditer(text)]
    best = None
    for option, word in names:
        at = next((m.start() for m in re.finditer(re.escape(word), text)
                   if not any(start <= m.start() < end for start, end in denied)), -1)
        if at >= 0 and (best is None or len(word) > best[2]):
            best = (option, (at, at + len(word)), len(word))
    if best is None and text + SHORT_FORM_END in options:  # "汉" alone is 汉族; "武汉" names none
        return text + SHORT_FORM_END, (0, len(text))
    return (best[0], best[1]) if best else None


FILLER = re.compile(r"^(?:我(?:在|是|叫|的)?|在|是|办理地|地点|住在|位于|去|到|:)+|(?:办理|办|落户|参保|登记|的|吧|啊|呀|。)+$")


def find_region(text: str, regions: RegionDirectory, within: str | None = None):
    """The one place named in `text` (a Region), or raises ValueError (RegionNotFound/Ambiguous) saying why."""
    cleaned = FILLER.sub("", normalise(text).replace(" ", ""))
    if cleaned.isdigit() and len(cleaned) == 6:
        return regions.resolve(cleaned, within=within)
    return regions.resolve(cleaned or text, within=within)


def find_region_across(text: str, regions: RegionDirectory, within: str | None = None):
    """"我现在回长春了，家在朝阳区这边": a county named anywhere in `text` by its full name, or beside
    (not inside) the name of the city or province it lies in. None when there is none; raises
    RegionAmbiguous, naming the words, when several fit."""
    text = normalise(text).replace(" ", "")
    named = regions.named_in(text, within)
    counties = {}
    for region, full, start, end in named:
        parents = regions.parent_codes(region.code)
        if region.level == "county" and (full or any(
                other.code in parents and (e <= start or end <= s) for other, _, s, e in named)):
            counties.setdefault(region.code, (region, text[start:end]))
    if len(counties) > 1:
        said = "、".join(dict.fromkeys(word for _, word in counties.values()))
        raise RegionAmbiguous(said, [region for region, _ in counties.values()])
    return next((region for region, _ in counties.values()), None)
