from dataclasses import dataclass

from cases.deadlines import WorkingCalendar
from catalog.profile import Profile
from catalog.regions import RegionDirectory
from security.sealing import Sealer


@dataclass(frozen=True)
class Context:
    """What the domain functions need from the running app, built once at start."""

    profile: Profile
    regions: RegionDirectory
    sealer: Sealer
    calendar: WorkingCalendar
