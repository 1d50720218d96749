"""A case locked for a change is read as it is now, not as this request first saw it."""
from sqlalchemy import update

from api.services import context
from cases import drafts, queries
from models import Case, Veteran, db


def test_locking_a_case_already_read_reads_what_another_request_committed_since(app):
    with app.app_context():
        veteran = Veteran(openid="lock-reader")
        db.session.add(veteran)
        db.session.flush()
        case_id = drafts.draft_case(veteran, context().profile.key).id
        db.session.commit()
        seen = db.session.get(Case, case_id)  # read without the lock first, and still held, as the console's 补正 does
        assert seen.status == "draft"
        with db.engine.begin() as other_request:
            other_request.execute(update(Case).where(Case.id == case_id).values(status="accepted"))
        assert queries.lock_case(case_id).status == "accepted"
        db.session.rollback()
