"""A profile's subscribe templates are checked at start: ids, events, keywords and what fills them."""
import shutil

import pytest

from catalog.loader import DIALOGS_DIR, ProfileError, load_profile

GOOD = """
subscribe_templates:
  progress:
    id: T-progress
    title: 办事进度通知
    long_term: true
    events: [submitted, accepted]
    data: {character_string1: case_no, thing2: matter, phrase3: status, time4: time}
  results:
    id: T-results
    title: 办理结果通知
    events: [matter_completed, matter_returned]
    data: {thing1: matter, thing2: result}
    overrides:
      matter_returned: {thing2: reason}
"""


@pytest.fixture
def with_templates(tmp_path):
    """load(yaml) -> the sichuan profile with `yaml` as its subscribe_templates section."""
    dialogs = tmp_path / "dialogs"
    shutil.copytree(DIALOGS_DIR, dialogs)
    path = dialogs / "profiles" / "sichuan.yaml"
    base = path.read_text(encoding="utf-8").split("subscribe_templates:")[0]

    def load(section: str):
        path.write_text(base.rsplit("\n#", 1)[0] + "\n" + section, encoding="utf-8")
        return load_profile("sichuan", dialogs)
    return load


def test_a_valid_section_gives_templates_by_event(with_templates):
    profile = with_templates(GOOD)
    assert profile.template_for_event("accepted").id == "T-progress"
    assert profile.template_for_event("rejected") is None
    results = profile.template_by_id("T-results")
    assert not results.long_term and profile.template_by_id("T-progress").long_term
    assert results.data_for("matter_returned") == {"thing1": "matter", "thing2": "reason"}
    assert results.data_for("matter_completed") == {"thing1": "matter", "thing2": "result"}


def test_the_shipped_profiles_carry_every_event_the_veteran_is_told():
    for province in ("guangdong", "sichuan", "jilin"):
        profile = load_profile(province)
        carried = {e for t in profile.subscribe_templates.values() for e in t.events}
        assert carried == {"submitted", "resubmitted", "archive_reviewed", "supplement_requested", "rejected",
                           "withdrawn", "accepted", "matter_dispatched", "matter_processing", "matter_completed",
                           "matter_returned", "case_completed"}


def test_the_shipped_profiles_spend_no_one_time_grant_on_a_minor_step():
    for province in ("guangdong", "sichuan", "jilin"):
        profile = load_profile(province)
        for event in ("matter_dispatched", "matter_processing"):
            assert profile.template_for_event(event).long_term, (province, event)


def test_the_minor_steps_may_ride_on_a_template_with_the_facts_they_have(with_templates):
    profile = with_templates(GOOD.replace("events: [submitted, accepted]",
                                          "events: [submitted, accepted, matter_dispatched, matter_processing]"))
    assert profile.template_for_event("matter_processing").id == "T-progress"


@pytest.mark.parametrize("change, problem", [
    (("events: [submitted, accepted]", "events: [submitted, acepted]"), "acepted"),
    (("events: [submitted, accepted]", "events: [submitted, matter_dispached]"), "matter_dispached"),
    (("events: [submitted, accepted]", "events: [submitted, matter_taken_up]"), "matter_taken_up"),
    # a dispatch or a taking up has no result to show
    (("events: [matter_completed, matter_returned]",
      "events: [matter_completed, matter_returned, matter_processing]"), "matter_processing"),
    (("events: [matter_completed, matter_returned]", "events: [matter_completed, accepted]"), "accepted"),
    (("thing2: matter, phrase3", "thin2: matter, phrase3"), "thin2"),
    (("phrase3: status", "phrase3: matter"), "phrase3"),
    (("time4: time", "time4: tiem"), "tiem"),
    (("id: T-results", "id: T-progress"), "重复"),
    (("long_term: true", "long_term: yes please"), "long_term"),
    (("matter_returned: {thing2: reason}", "matter_returned: {thing9: reason}"), "thing9"),
    (("matter_returned: {thing2: reason}", "accepted: {thing2: reason}"), "accepted"),
    (("thing2: result}", "thing2: deadline}\n    colour: red"), "colour"),
])
def test_a_bad_template_section_fails_the_start(with_templates, change, problem):
    with pytest.raises(ProfileError, match=problem):
        with_templates(GOOD.replace(*change))


def test_a_fact_an_event_does_not_have_fails_the_start(with_templates):
    # matter_returned has no `result`, so without its override it would send an empty keyword
    with pytest.raises(ProfileError, match="matter_returned"):
        with_templates(GOOD.replace("    overrides:\n      matter_returned: {thing2: reason}\n", ""))
