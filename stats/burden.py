"""What applying costs a veteran, counted two ways (广东 2020's 材料份数 and 办理次数, 前/后):

- before: each matter applied for on its own, one after another. Every matter takes every material
  it needs (the ID card copy once per matter), and its in-person steps are separate trips.
- after: the joint case. Each material is handed in once for the whole case, a material an
  e-licence replaces is not handed in, and the originals are checked at the window in one trip.

Visits are the in-person steps of the matters (`in_person` in the profile: the police station for
hukou and fingerprints, 吉林's reserve registration sessions; not what is handled offline without a
visit of its own, `offline`: 四川's 预备役 and 党团 transfers) plus a trip to the window when a
material's original must be shown there (`original_at_window`). Materials the system generates (the
registration form) are not counted either way, nor are display-only matters.
"""
from dataclasses import dataclass

from catalog.profile import Profile


@dataclass(frozen=True)
class Burden:
    materials_before: int
    materials_after: int
    visits_before: int
    visits_after: int

    def __add__(self, other: "Burden") -> "Burden":
        return Burden(self.materials_before + other.materials_before, self.materials_after + other.materials_after,
                      self.visits_before + other.visits_before, self.visits_after + other.visits_after)


NONE = Burden(0, 0, 0, 0)


def case_burden(profile: Profile, matter_keys: list[str], values: dict, e_licensed: set[str] = frozenset()) -> Burden:
    """The burden of one case: its matters, its form values (they decide conditional materials), and
    the material keys its e-licences replace."""
    matters = [key for key in matter_keys if key in profile.matters and not profile.matters[key].display_only]
    materials_before = visits_before = visits_in_person = 0
    for key in matters:
        own = [m for m in profile.required_materials([key], values) if not m.generated]
        materials_before += len(own)
        in_person = 1 if profile.matters[key].in_person else 0
        visits_in_person += in_person
        visits_before += in_person + (1 if any(m.original_at_window for m in own) else 0)
    joint = [m for m in profile.required_materials(matters, values) if not m.generated]
    materials_after = len([m for m in joint if m.key not in e_licensed])
    visits_after = visits_in_person + (1 if any(m.original_at_window for m in joint) else 0)
    return Burden(materials_before, materials_after, visits_before, visits_after)
