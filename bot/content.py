"""The guide's wording and question order (dialogs/questions.yaml), read once at app start and checked
against the profile: a group naming an unknown field stops the start."""
import re
from dataclasses import dataclass
from pathlib import Path

from catalog.field_values import example_id_number
from catalog.loader import ProfileError, read_yaml
from catalog.profile import Profile

KEYS = {"greeting", "resume", "paused", "restarted", "restarted_empty", "went_back", "nothing_to_go_back_to", "cannot_go_back", "upload_later", "upload_now",
        "not_understood", "answer_current", "progress_draft", "which_to_correct", "corrected", "ask_new_value",
        "noted", "restated", "dates_reversed", "type_changed", "choose_type_again", "roster_corrected", "matters_agreed", "which_matters", "matters_rescreened",
        "submit_problems", "materials_owed", "materials_after", "unsure", "submitted", "submitted_next_step", "submitted_untimed", "already_submitted", "apply_again", "one_case_at_a_time", "earlier_case", "no_case",
        "change_before_acceptance", "change_after_acceptance", "human_help", "screening", "ask_type", "type_taken", "other_kinds", "soldier_not_officer",
        "ask_matters", "display_only", "ask_roster", "roster_which_wrong", "ask_places", "ask_recipient", "recipient_given", "recipient_self", "recipient_assumed", "agree", "agree_matters",
        "together", "ask_material", "ask_confirm", "notice_intro", "notice_proposed", "notice_changed",
        "same_place_fields", "groups", "field_aliases", "synonyms", "screening_intro", "screening_field_words",
        "matter_aliases", "text_hints", "kin_words", "example_places", "cues",
        "ask_householder_relation", "hint_householder_relation", "householder_turned", "householder_turned_round"}
CUES = {"question_words", "asking", "remove_matter", "add_matter", "corrected_to", "uploaded", "change",
        "about_the_case", "apply_again", "human_help", "whole_record_wrong", "other_kinds", "soldier", "officer", "submit", "others_right", "upload_now", "not_at_hand",
        "found_out"}


@dataclass(frozen=True)
class Group:
    slots: tuple[str, ...]
    prompt: str


@dataclass(frozen=True)
class Screening:
    ask: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Content:
    texts: dict[str, str]
    screening: dict[str, Screening]          # matter key → question
    screening_field_words: dict[str, tuple[str, ...]]
    same_place_fields: tuple[str, ...]
    groups: tuple[Group, ...]
    field_aliases: dict[str, tuple[str, ...]]
    text_hints: dict[str, tuple[str, ...]]  # words a free-text answer usually holds ("陆军", "父")
    matter_aliases: dict[str, tuple[str, ...]]
    synonyms: dict[str, dict[str, tuple[str, ...]]]
    kin_words: dict[str, str]  # "我妈李秀英": the word before a contact's name → the relation it states
    householder_turned_round: dict[str, tuple[str, str]]  # the householder is my … → I am their … (男, 女)
    cues: dict[str, re.Pattern]  # name → any of its words, found anywhere in a message

    def group_of(self, field_key: str) -> Group | None:
        return next((g for g in self.groups if field_key in g.slots), None)


def _example(places: dict, profile: Profile, where: str) -> dict:
    """The place and a valid ID number issued there that the province's prompts give as examples."""
    if profile.key not in places:
        raise ProfileError(f"{where} example_places: 缺少 {profile.key} 的示例地点")
    place = places[profile.key]
    return {"place": place["name"], "id_number": example_id_number(place["code"], "19990315", 11)}


def _cues(doc: dict, where: str) -> dict[str, re.Pattern]:
    if not isinstance(doc, dict) or set(doc) != CUES or not all(
            isinstance(words, list) and words and all(isinstance(w, str) and w for w in words) for words in doc.values()):
        raise ProfileError(f"{where} cues: 应为 {sorted(CUES)} 各一张非空的词表")
    return {name: re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True)))) for name, words in doc.items()}


def load_content(path: Path, profile: Profile) -> Content:
    doc = read_yaml(path)
    where = path.name
    if not isinstance(doc, dict) or set(doc) != KEYS:
        raise ProfileError(f"{where}: 键应为 {sorted(KEYS)}，多出 {sorted(set(doc or {}) - KEYS)}，"
                           f"缺少 {sorted(KEYS - set(doc or {}))}")
    fields = profile.fields
    example = _example(doc["example_places"], profile, where)
    groups = []
    for group in doc["groups"]:
        unknown = [s for s in group["slots"] if s not in fields]
        if unknown or set(group) != {"slots", "prompt"}:
            raise ProfileError(f"{where} groups: 未知的字段 {unknown} 或键 {sorted(group)}")
        prompt = group["prompt"].replace("{place}", example["place"]).replace("{id_number}", example["id_number"])
        groups.append(Group(tuple(group["slots"]), prompt))
    asked = {s for g in groups for s in g.slots}
    missing = [f.key for f in fields.values() if not (f.derived_from or f.staff_only) and f.key not in asked]
    if missing:
        raise ProfileError(f"{where} groups: 这些字段没有问题可问：{missing}")
    for key in list(doc["field_aliases"]) + list(doc["same_place_fields"]):
        if key not in fields:
            raise ProfileError(f"{where}: 未知的字段 {key}")
    unknown_matters = [k for k in doc["screening"] if k not in profile.catalog_matters]
    if unknown_matters:
        raise ProfileError(f"{where} screening: 未知的事项 {unknown_matters}")
    for key, spec in doc["screening"].items():
        if not isinstance(spec, dict) or set(spec) != {"ask", "words"}:
            raise ProfileError(f"{where} screening.{key}: 应为 {{ask, words}}")
    unknown_fields = [k for k in doc["screening_field_words"] if k not in fields]
    if unknown_fields:
        raise ProfileError(f"{where} screening_field_words: 未知的字段 {unknown_fields}")
    unknown_aliased = [k for k in doc["matter_aliases"] if k not in profile.catalog_matters]
    if unknown_aliased:
        raise ProfileError(f"{where} matter_aliases: 未知的事项 {unknown_aliased}")
    unhinted = [k for k in doc["text_hints"] if k not in fields or fields[k].type != "text"]
    if unhinted:
        raise ProfileError(f"{where} text_hints: 不是文字字段 {unhinted}")
    unknown_lists = [k for k in doc["synonyms"] if k != "veteran_type" and k not in fields]
    if unknown_lists:
        raise ProfileError(f"{where} synonyms: 未知的字段 {unknown_lists}")
    relations = fields["householder_relation"].options
    turned = doc["householder_turned_round"]
    if not isinstance(turned, dict) or not all(
            said in relations and isinstance(mine, list) and len(mine) == 2 and set(mine) <= set(relations)
            for said, mine in turned.items()):
        raise ProfileError(f"{where} householder_turned_round: 应为 与户主关系的选项 → [男, 女] 各自的选项")
    texts = {k: v for k, v in doc.items() if isinstance(v, str)}
    return Content(
        texts=texts, screening={k: Screening(v["ask"], tuple(v["words"])) for k, v in doc["screening"].items()},
        screening_field_words={k: tuple(v) for k, v in doc["screening_field_words"].items()},
        same_place_fields=tuple(doc["same_place_fields"]),
        groups=tuple(groups), matter_aliases={k: tuple(v) for k, v in doc["matter_aliases"].items()},
        field_aliases={k: tuple(v) for k, v in doc["field_aliases"].items()},
        text_hints={k: tuple(v) for k, v in doc["text_hints"].items()},
        synonyms={k: {o: tuple(w) for o, w in v.items()} for k, v in doc["synonyms"].items()},
        kin_words=dict(doc["kin_words"]), cues=_cues(doc["cues"], where),
        householder_turned_round={k: tuple(v) for k, v in turned.items()},
    )
