"""Materials and visits before (each matter on its own) and after (the joint case)."""
import pytest

from catalog.loader import load_profile
from stats.burden import Burden, case_burden


@pytest.fixture(scope="module")
def sichuan():
    return load_profile("sichuan")


def test_a_material_several_matters_need_is_handed_in_once_in_the_joint_case(sichuan):
    # report: ID card, discharge certificate, intro letter; hukou and id_card: the ID card each
    burden = case_burden(sichuan, ["report", "hukou", "id_card"], {})
    assert (burden.materials_before, burden.materials_after) == (5, 3)


def test_in_person_steps_stay_and_window_checks_of_originals_merge_into_one_visit(sichuan):
    # hukou and id_card are in person; every matter shows an original at the window (the 居民身份证 copy is
    # taken with its original checked, 附件4), which 一件事 makes one visit
    burden = case_burden(sichuan, ["report", "hukou", "id_card", "party_transfer"], {})
    assert (burden.visits_before, burden.visits_after) == (6, 3)


def test_display_only_matters_and_generated_materials_count_for_nothing(sichuan):
    with_pension = case_burden(sichuan, ["report", "pension_transfer"], {})
    assert with_pension == case_burden(sichuan, ["report"], {}) == Burden(3, 3, 1, 1)


def test_materials_an_e_licence_replaces_are_not_handed_in_after(sichuan):
    burden = case_burden(sichuan, ["report", "hukou"], {}, e_licensed={"id_card_scan", "discharge_certificate"})
    assert (burden.materials_before, burden.materials_after) == (4, 1)


def test_burdens_add_up():
    assert Burden(5, 3, 3, 3) + Burden(1, 1, 0, 1) == Burden(6, 4, 3, 4)


def test_what_sichuan_handles_offline_without_a_visit_of_its_own_adds_no_visit_to_the_joint_case(sichuan):
    # 附件3 三（二）（六）: 预备役 and 党团 at the season's joint office or collected for the veteran
    alone = case_burden(sichuan, ["report", "hukou"], {})
    offline = case_burden(sichuan, ["report", "hukou", "reserve_registration", "party_transfer", "league_transfer"], {})
    assert offline.visits_after == alone.visits_after == 2
