"""China's 6-digit administrative division codes (行政区划代码), looked up by code or by name.

The data is python-stdnum's `stdnum/cn/loc.dat`: a line `51 province="四川省"` opens a province and
indented lines `  0104 county="[1990-]锦江区"` follow, where the brackets give the years a name was
valid (`[-2010]`, `[1983-1990]`: abolished; `[1990-]` or no bracket: current). Only current regions
are kept; placeholders such as 市辖区, 县 or 省直辖县级行政单位 are left out of names and results.

Names are matched by aliases: a region's name and its short name (锦江区 → 锦江, 凉山彝族自治州 →
凉山). A region matches a text when one of its aliases ends the text and what comes before is made
of aliases of its province and prefecture, in that order, each optional ("广东广州天河", "北京朝阳").
"""
import os
import re
from dataclasses import dataclass

PLACEHOLDERS = {"市辖区", "县", "市"}  # and any name with 直辖, e.g. 省直辖县级行政单位
# loc.dat leaves these undated though they were replaced: 随州市 is 421300 since 2000,
# 神农架林区 is 429021; keeping them would make both names ambiguous with themselves.
STALE = {"429001", "422900", "422921"}
ETHNIC = (
    "蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|高山|拉祜|水|"
    "东乡|纳西|景颇|柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|"
    "俄罗斯|鄂温克|德昂|保安|裕固|京|塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺|各"
)
AUTONOMOUS = re.compile(rf"^(.{{2,}}?)(?:(?:{ETHNIC})族?)+自治[区州县旗]$")
SUFFIXES = (
    "特别行政区", "族自治县", "族自治旗", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "新区",
    "省", "市", "区", "县", "旗", "盟",
)
LINE = re.compile(r'^(\s*)(\d+) (?:province|county)="(.*)"')
PERIOD = re.compile(r"^(?:\[(\d*)-(\d*)\])?(.*)$")
FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


@dataclass(frozen=True)
class Region:
    code: str       # 6 digits, e.g. "510104"
    name: str       # its own current name, e.g. "锦江区"
    full_name: str  # e.g. "四川省成都市锦江区"; "北京市朝阳区" (no 市辖区)
    level: str      # "province" | "prefecture" | "county"


class RegionNotFound(ValueError):
    def __init__(self, text: str):
        super().__init__(f"没有找到“{text}”这个地方，请说出省、市、县（区）的名称或6位行政区划代码")


class RegionOutside(ValueError):
    def __init__(self, region: "Region", area: str):
        super().__init__(f"“{region.full_name}”不在{area}，请填写{area}内的地方")


class RegionAmbiguous(ValueError):
    def __init__(self, text: str, candidates: "list[Region]"):
        self.candidates = candidates
        names = "、".join(r.full_name for r in candidates[:5]) + ("等" if len(candidates) > 5 else "")
        super().__init__(f"有多个地方叫“{text}”：{names}，请说得更具体一些")


def short_name(name: str) -> str:
    """凉山彝族自治州 → 凉山, 广西壮族自治区 → 广西, 锦江区 → 锦江; never down to one character (和县)."""
    m = AUTONOMOUS.match(name)
    if m:
        return m.group(1)
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _current_name(value: str):
    """The current name in `[1983-1986]郊区,[1987-]白云区`, or None if the entry is abolished."""
    current = None
    for period in value.split(","):
        _, end, name = PERIOD.match(period).groups()
        if not end:
            current = name
    return current


def _prefix(prefix: str) -> str:
    """"510000" → "51", "510100" → "5101": a code prefix with trailing zero pairs dropped."""
    prefix = prefix.strip()
    while len(prefix) > 2 and prefix.endswith("00"):
        prefix = prefix[:-2]
    return prefix


def _level(code: str) -> str:
    return "province" if code.endswith("0000") else "prefecture" if code.endswith("00") else "county"


class RegionDirectory:
    def __init__(self, names: dict):
        """`names` maps each current code to its name, placeholders included (they are dropped here)."""
        self._regions = {}
        for code, name in sorted(names.items()):
            if name in PLACEHOLDERS or "直辖" in name or code in STALE:
                continue
            parents = [p for p in self._parent_candidates(code) if p in self._regions]
            full = "".join(self._regions[p].name for p in parents) + name
            self._regions[code] = Region(code, name, full, _level(code))
        self._aliases = {}  # code -> [(alias, is_full_name)]
        self._index = {}    # alias -> [(region, is_full_name)]
        self._with_counties = {code[:4] for code, region in self._regions.items() if region.level == "county"}
        for region in self._regions.values():
            aliases = [(region.name, True)]
            short = short_name(region.name)
            if short != region.name:
                aliases.append((short, False))
                if region.name[-3:] in ("自治州", "自治县", "自治旗"):  # 凉山州, 石柱县
                    aliases.append((short + region.name[-1], False))
            self._aliases[region.code] = aliases
            for alias, full in aliases:
                self._index.setdefault(alias, []).append((region, full))

    @classmethod
    def load(cls, path=None) -> "RegionDirectory":
        if path is None:
            import stdnum.cn
            path = os.path.join(os.path.dirname(stdnum.cn.__file__), "loc.dat")
        names, province = {}, ""
        with open(path, encoding="utf-8") as f:
            for line in f:
                m = LINE.match(line)
                if not m:
                    continue
                indent, digits, value = m.groups()
                if not indent:
                    province = digits
                    names[province + "0000"] = value  # the 0000 line, if any, overrides
                    continue
                name = _current_name(value)
                if name is None:
                    names.pop(province + digits, None)
                else:
                    names[province + digits] = name
        return cls(names)

    @staticmethod
    def _parent_candidates(code: str) -> list:
        level = _level(code)
        if level == "province":
            return []
        if level == "prefecture":
            return [code[:2] + "0000"]
        return [code[:2] + "0000", code[:4] + "00"]

    def get(self, code: str) -> "Region | None":
        return self._regions.get(code.strip().translate(FULL_WIDTH_DIGITS))

    def is_county_level(self, code: str) -> bool:
        """A county, or a prefecture with none under it (中山市, 东莞市, 儋州市, 嘉峪关市)."""
        region = self.get(code)
        if region is None or region.level == "province":
            return False
        return region.level == "county" or region.code[:4] not in self._with_counties

    def prefecture_of(self, region: Region) -> Region:
        """The city (市、州) a county lies in; a county with none above it (仙桃市) and any higher place stay."""
        if region.level != "county":
            return region
        return next((self._regions[p] for p in self.parent_codes(region.code) if _level(p) == "prefecture"), region)

    def is_within(self, code: str, prefix: str) -> bool:
        return code.startswith(_prefix(prefix))

    def parent_codes(self, code: str) -> "list[str]":
        """The current province and prefecture codes above `code`, outermost first."""
        return [p for p in self._parent_candidates(code) if p in self._regions]

    def _area(self, prefix: str) -> str:
        """The province or prefecture a code prefix ("51", "5101") stands for, by its full name."""
        region = self.get(prefix.ljust(6, "0"))
        return region.full_name if region else prefix

    def resolve(self, text: str, within: "str | None" = None) -> Region:
        """The one current region `text` names: a 6-digit code, or names from province down,
        each part optional and with or without its suffix. `within` is a code prefix ("51",
        "5101") the region must lie in. Raises RegionNotFound or RegionAmbiguous."""
        cleaned = re.sub(r"\s+", "", text.translate(FULL_WIDTH_DIGITS)).rstrip("。.")
        if re.fullmatch(r"\d{6}", cleaned):
            region = self.get(cleaned)
            if region is None:
                raise RegionNotFound(cleaned)
            if within and not self.is_within(region.code, within):
                raise RegionOutside(region, self._area(within))
            return region
        scores = {}  # code -> best (levels consumed, full names used)
        for i in range(len(cleaned)):
            for region, full in self._index.get(cleaned[i:], ()):
                if within and not self.is_within(region.code, within):
                    continue
                consumed = self._consume(cleaned[:i], self.parent_codes(region.code))
                if consumed is None:
                    continue
                score = (consumed[0] + 1, consumed[1] + full)
                scores[region.code] = max(scores.get(region.code, score), score)
        if not scores and within:  # "广州市天河区" asked in 四川: a real place, only not here
            try:
                elsewhere = self.resolve(text)
            except (RegionNotFound, RegionAmbiguous):
                raise RegionNotFound(cleaned) from None
            raise RegionOutside(elsewhere, self._area(within))
        if not scores:
            raise RegionNotFound(cleaned)
        top = max(scores.values())
        best = [self._regions[c] for c, s in sorted(scores.items()) if s == top]
        if len(best) > 1:  # "长沙": 长沙市 rather than the 长沙县 inside it
            codes = {r.code for r in best}
            best = [r for r in best if not codes.intersection(self.parent_codes(r.code))]
        if len(best) > 1 and cleaned.endswith("市"):  # "随州市": the prefecture over a same-named county
            higher = [r for r in best if r.level != "county"]
            if len(higher) == 1:
                best = higher
        if len(best) > 1:
            raise RegionAmbiguous(cleaned, best)
        return best[0]

    def named_in(self, text: str, within: "str | None" = None) -> "list[tuple[Region, bool, int, int]]":
        """Every region an alias of which appears anywhere in `text`: the region, whether the alias is its
        full name, and where it stands ("我现在回长春了，家在朝阳区这边" → 长春市 at 5–7, 朝阳区 at 10–13 …)."""
        longest = max(map(len, self._index))
        return [(region, full, i, i + n) for i in range(len(text)) for n in range(2, min(longest, len(text) - i) + 1)
                for region, full in self._index.get(text[i:i + n], ())
                if not within or self.is_within(region.code, within)]

    def _consume(self, text: str, parents: list):
        """Best (levels, full names) for reading `text` as aliases of `parents`, in order, each
        optional; None if it cannot be read so."""
        if not text:
            return (0, 0)
        best = None
        for k, parent in enumerate(parents):
            for alias, full in self._aliases[parent]:
                if text.startswith(alias):
                    rest = self._consume(text[len(alias):], parents[k + 1:])
                    if rest is not None:
                        score = (rest[0] + 1, rest[1] + full)
                        best = score if best is None else max(best, score)
        return best
