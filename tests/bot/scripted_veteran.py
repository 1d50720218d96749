"""A scripted veteran who reads `expecting` and answers in natural Chinese, as people type.

Used by the conversation tests and by bench/chat_messages.py.
"""
from dataclasses import dataclass, field

from catalog.field_values import example_id_number

COUNTY = {"guangdong": ("440106", "广州市天河区"), "sichuan": ("510104", "成都市锦江区"),
          "jilin": ("220104", "长春市朝阳区")}
TYPE_WORDS = {"self_employed": "我是自主就业的", "assigned_job": "政府安排工作", "demobilized_officer": "复员干部",
              "monthly_pension": "按月领退役金"}


@dataclass
class Persona:
    province: str
    veteran_type: str = "self_employed"
    sequence: int = 11
    party_member: bool = True
    hukou_cancelled: bool = True
    wants_training: bool = True
    has_military_licence: bool = False
    several_at_once: bool = True
    said: list = field(default_factory=list)
    taps: int = 0  # messages of `said` that one tap on an offered button would send instead of typing

    @property
    def county(self) -> str:
        return COUNTY[self.province][0]

    @property
    def id_number(self) -> str:
        return example_id_number(self.county, "19990315", self.sequence)

    @property
    def householder_id(self) -> str:
        return example_id_number(self.county, "19920101", 15)

    def phrase(self, slot: str) -> str:
        place = COUNTY[self.province][1]
        return {
            "name": "我叫王磊", "id_number": f"身份证{self.id_number}", "handling_region": place,
            "political_status": "党员" if self.party_member else "群众",
            "ethnicity": "汉族", "education": "高中", "marital_status": "未婚", "health_status": "健康",
            "phone": "13800138000", "address": f"{place}红星路1号",
            "emergency_contact_name": "王建国", "emergency_contact_relation": "父子",
            "emergency_contact_phone": "028-86001234",
            "enlistment_date": "2019年9月入伍", "discharge_date": "2024年9月退役",
            "unit_code": "32145部队", "discharge_cert_no": "证号2024090011", "service_branch": "陆军",
            "enlistment_place": place, "enlistment_address": "红星路1号", "service_region": "新疆喀什市",
            "bank_name": "工商银行锦江支行", "bank_account": "6222020200112233445",
            "training_need": "有需求", "training_detail": "想学电工",
            "pre_enlistment_hukou": place, "intended_hukou": place, "birthplace": place, "native_place": place,
            "settle_type": "回原籍", "rural_to_urban": "不是农村籍", "hukou_business_type": "恢复户口",
            "householder_relation": "父亲", "householder_name": "王建国",
            "householder_id_number": self.householder_id,
            "social_insurance_place": place, "card_city": place, "card_bank": "建设银行",
            "recipient_name": "王磊", "recipient_phone": "13800138000", "mailing_address": f"{place}红星路1号",
            "medical_insurance_place": place, "medical_insurance_start": "2024年10月",
            "first_insured_month": "2019年9月", "medical_transfer_place": place,
            "reserve_service": "是", "reserve_place": place, "org_transfer_place": place,
            "military_license_no": "JZ2019001",
        }[slot]

    def answer(self, expecting: dict) -> str:
        slot = expecting["slot"]
        slots = expecting.get("slots", [slot])
        if slot == "confirm" and expecting["type"] == "choice":
            return "确认提交"
        if slot == "confirm":
            return self.agree("对", slots[1:])
        if any(s.startswith("need_") for s in slots) or "reserve_service" in slots and len(slots) > 1:
            return "，".join(self.screening(s) for s in (slots if self.several_at_once else slots[:1]))
        if slot == "veteran_type":
            return TYPE_WORDS[self.veteran_type]
        if slot == "matters":  # keeps the proposal
            return self.agree("好的", slots[1:])
        if slot.startswith("material_"):
            return "稍后上传"
        if not self.several_at_once:
            slots = slots[:1]
        return "，".join(self.phrase(s) for s in slots)

    def agree(self, yes: str, follow_up: list[str]) -> str:
        """A yes, and the answers to the question it leads to when that is asked in the same message."""
        if not (follow_up and self.several_at_once):
            return yes
        return f"{yes}，{self.answer({'slot': follow_up[0], 'slots': follow_up, 'type': ''})}"

    def screening(self, slot: str) -> str:
        return {
            "need_hukou": "户口注销了" if self.hukou_cancelled else "户口没有注销",
            "need_training": "有培训需求" if self.wants_training else "不需要培训",
            "need_driving_license": "有军队驾驶证" if self.has_military_licence else "没有驾驶证",
            "political_status": "党员" if self.party_member else "群众",
            "reserve_service": "服预备役",
        }[slot]


def converse(api, token: str, persona: Persona, opening: str = "我刚退伍，要办哪些手续？", limit: int = 80) -> dict:
    """Chat from the opening to a submitted case; returns the final turn. Counts messages in persona.said."""
    turn = api.post("/api/v1/chat/messages", {"text": opening}, token=token)
    persona.said.append(opening)
    while turn["expecting"] is not None:
        assert len(persona.said) < limit, f"no end in sight: {turn}"
        text = persona.answer(turn["expecting"])
        persona.said.append(text)
        persona.taps += is_tap(turn["expecting"], text)
        turn = api.post("/api/v1/chat/messages", {"text": text}, token=token)
    return turn


def is_tap(expecting: dict, text: str) -> bool:
    """Whether the answer is what one offered button says: an option, or "好的" to the preselected matters."""
    return text in (expecting.get("options") or []) or (expecting["slot"] == "matters" and text == "好的")
