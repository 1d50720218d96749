"""The chat's draft: personal numbers stay sealed, and an unchanged one is not encrypted anew."""
from api.services import context
from cases import drafts
from models import Case, Veteran, db
from security.sealing import is_sealed
from tests.factories import id_number_for


def test_an_unchanged_sealed_value_keeps_its_ciphertext_and_a_changed_one_is_sealed_anew(app):
    with app.app_context():
        ctx = context()
        veteran = Veteran(openid="draft-owner")
        db.session.add(veteran)
        db.session.flush()
        case = drafts.draft_case(veteran, ctx.profile.key)
        first = id_number_for(ctx.profile.key, 11)
        draft = drafts.open_draft(ctx, case)
        draft.values.update(id_number=first, name="王磊")
        drafts.save_draft(ctx, case, draft)
        db.session.commit()
        stored = db.session.get(Case, case.id).fields["id_number"]
        assert is_sealed(stored)

        draft = drafts.open_draft(ctx, case)
        assert draft.values["id_number"] == first
        draft.values["phone"] = "13800138000"
        drafts.save_draft(ctx, case, draft)
        db.session.commit()
        assert db.session.get(Case, case.id).fields["id_number"] == stored

        draft = drafts.open_draft(ctx, case)
        second = id_number_for(ctx.profile.key, 12)
        draft.values["id_number"] = second
        drafts.save_draft(ctx, case, draft)
        db.session.commit()
        resealed = db.session.get(Case, case.id).fields["id_number"]
        assert is_sealed(resealed) and resealed != stored
        assert drafts.open_draft(ctx, case).values == {"id_number": second, "name": "王磊", "phone": "13800138000"}
