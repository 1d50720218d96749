"""电子证照: which licences stand for which materials, and where a person's licences are found.

Where the profile says `e_licence_replaces_materials` (广东: 能通过电子证照替代的免予提交实体卡证),
a material that one of the person's e-licences stands for is not asked for. The pairs licence →
material are data (`dialogs/e_licences.yaml`). The source is pluggable: `local`, the default,
reads the `e_licences` table; `package.module:factory` names a callable that takes the app's
Sealer and returns an object with `held(id_number, today) -> set of licence type keys`, e.g. a
client of the province's 电子证照库.
"""
from dataclasses import dataclass
from datetime import date
from importlib import import_module
from pathlib import Path
from typing import Protocol

from sqlalchemy import select

from catalog.loader import DIALOGS_DIR, ProfileError, read_yaml
from catalog.profile import Profile
from models import ELicence, db
from security.sealing import Sealer

LICENCES_FILE = DIALOGS_DIR / "e_licences.yaml"


class ELicenceSource(Protocol):
    def held(self, id_number: str, today: date) -> set[str]:
        """The licence types on record for this person and valid on `today`."""


class LocalELicenceTable:
    """The default source: the `e_licences` table, found by the ID number's keyed hash."""

    def __init__(self, sealer: Sealer):
        self.sealer = sealer

    def held(self, id_number: str, today: date) -> set[str]:
        rows = db.session.scalars(select(ELicence).where(
            ELicence.id_number_hash == self.sealer.lookup_hash(id_number)))
        return {row.licence_type for row in rows if row.valid_until is None or row.valid_until >= today}


@dataclass(frozen=True)
class LicenceType:
    key: str
    label: str
    replaces: str  # a material key


@dataclass(frozen=True)
class ELicences:
    """The licence types the active profile accepts in place of materials, and the source to ask."""

    types: dict[str, LicenceType]  # empty where the profile does not let e-licences replace materials
    source: ELicenceSource

    def replacing(self, id_number: str | None, today: date) -> dict[str, str]:
        """{material key: licence label} for the materials this person need not hand in."""
        if not self.types or not id_number:
            return {}
        held = self.source.held(id_number, today)
        return {t.replaces: t.label for t in self.types.values() if t.key in held}


def load(profile: Profile, sealer: Sealer, source: str = "local", path: Path = LICENCES_FILE) -> ELicences:
    """Read and check the licence types at start; an unknown key or material stops the app."""
    doc = read_yaml(path)
    if not isinstance(doc, dict) or set(doc) != {"licence_types"} or not isinstance(doc["licence_types"], dict):
        raise ProfileError(f"{path.name}: 顶层应只有 licence_types 映射")
    types = {}
    for key, spec in doc["licence_types"].items():
        if not isinstance(spec, dict) or set(spec) != {"label", "replaces"}:
            raise ProfileError(f"{path.name} licence_types.{key}: 应有且只有 label 和 replaces")
        types[key] = LicenceType(key, spec["label"], spec["replaces"])
    if not profile.e_licence_replaces_materials:
        return ELicences({}, _source(source, sealer))
    for t in types.values():
        material = profile.materials.get(t.replaces)
        if material is None or material.generated:
            raise ProfileError(f"{path.name} licence_types.{t.key}: {profile.name}没有需要提交的材料 {t.replaces!r}")
    return ELicences(types, _source(source, sealer))


def _source(spec: str, sealer: Sealer) -> ELicenceSource:
    if spec == "local":
        return LocalELicenceTable(sealer)
    module, _, factory = spec.partition(":")
    if not factory:
        raise ProfileError(f"E_LICENCE_SOURCE 应为 local 或 package.module:factory，而不是 {spec!r}")
    return getattr(import_module(module), factory)(sealer)
