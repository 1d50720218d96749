"""一次告知: everything the veteran must prepare, visit and expect, for their own matters and province."""
from collections.abc import Set

from cases.context import Context
from cases.drafts import Draft


def one_time_notice(ctx: Context, intro: str, draft: Draft, provided: Set[str]) -> list[dict]:
    """`provided`: the material keys already uploaded or covered by an e-licence, which need no preparing."""
    profile = ctx.profile
    required = profile.required_materials(draft.matters, draft.values)
    materials = [m for m in required if m.key not in provided]
    covered = [m for m in required if m.key in provided]
    visits = [f"{profile.matters[k].label}：{step}" for k in draft.matters
              for step in (profile.matters[k].in_person, profile.matters[k].offline) if step]
    originals = [m.label for m in materials if m.original_at_window]
    if originals:
        visits.append(f"到{profile.window}核验原件：{'、'.join(originals)}")
    limit = profile.time_limit
    if limit.stated:
        excluded = limit.excluded_for(draft.matters)
        time_text = f"办理时限：受理后{limit.working_days}个工作日。" + (f"{excluded}。" if excluded else "")
    else:
        time_text = (f"{profile.name}的政策文件没有规定办理时限，本系统按受理后{limit.working_days}个工作日跟踪，"
                     "具体以窗口告知为准。")
    lines = [intro, "需要准备的材料：" + (profile.materials_note or "")]
    lines += [f"· {m.label}（{m.spec}）" for m in materials]
    lines += [f"· {m.label}（{m.spec}）——仅在{_condition(profile, m.when)}时需要"
              for m in profile.possible_materials(draft.matters, draft.values)]
    if covered:
        lines.append(f"无需再提交（已上传或有电子证照）：{'、'.join(m.label for m in covered)}")
    if visits:
        lines.append("线下办理和需要到现场的环节：")
        lines += [f"· {v}" for v in visits]
    lines.append(time_text)
    lines += list(profile.notes) + [profile.matters[k].note for k in draft.matters if profile.matters[k].note]
    if employer := profile.handled_by_employer(draft.veteran_type):
        kind = profile.veteran_types[draft.veteran_type].label
        lines.append(f"{kind}涉及的{'、'.join(m.label for m in employer)}，"
                     f"{profile.employer_handles.said}，无需在此申请。")
    return [{"type": "materials", "text": "\n".join(lines),
             "data": {"materials": [{"key": m.key, "label": m.label, "spec": m.spec, "generated": m.generated}
                                    for m in materials],
                      "provided": [m.key for m in covered], "in_person": visits, "time_limit_working_days": limit.working_days,
                      "time_limit_stated": limit.stated}}]


def _condition(profile, when) -> str:
    return "、".join(f"{profile.fields[key].label}为“{value}”" for key, value in when.equals.items())
