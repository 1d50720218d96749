"""Policy answers from the active province's documents, each with its sources."""
from flask import Blueprint, jsonify

from api.body import load_args
from api.schemas.requests import FaqSearchQuerySchema
from api.services import policy_qa

bp = Blueprint("faq", __name__, url_prefix="/api/v1/faq")


@bp.get("/search")
def search():
    """Answers to `q`, best first; one honest out-of-scope item when the documents do not cover it."""
    q = load_args(FaqSearchQuerySchema())["q"].strip()
    qa = policy_qa()
    answers = qa.search(q) or [qa.out_of_scope_reply(q)]
    return jsonify({"items": [{"id": a.id, "question": a.question, "answer": a.text, "sources": a.sources}
                              for a in answers]})
