"""The chat's short-term memory in Redis: a pending question that overrides the plan (after
"上一步" or "修改地址"), the questions asked so far (for going back), and whether the veteran paused.

Everything here may be lost: the plan is worked out again from the draft in the database, which also
keeps the pending question (the draft's dialogue `pending`); what is lost is the way back for "上一步".
"""
import json
from dataclasses import dataclass, field, fields

TTL_SECONDS = 30 * 24 * 3600


@dataclass
class ChatState:
    pending: dict | None = None       # {"kind": ..., "slots": [...]}
    asked: list = field(default_factory=list)  # [{"kind", "slots"}], newest last
    paused: bool = False


class StateStore:
    def __init__(self, redis):
        self.redis = redis

    @staticmethod
    def _key(veteran_id: int) -> str:
        return f"chat:state:{veteran_id}"

    def load(self, veteran_id: int) -> ChatState | None:
        raw = self.redis.get(self._key(veteran_id))
        return ChatState(**json.loads(raw)) if raw else None

    def save(self, veteran_id: int, state: ChatState) -> None:
        # Not dataclasses.asdict: it deep-copies `asked` on every turn, and json.dumps needs no copy.
        body = {f.name: getattr(state, f.name) for f in fields(state)}
        self.redis.set(self._key(veteran_id), json.dumps(body, ensure_ascii=False), ex=TTL_SECONDS)

    def forget(self, veteran_id: int) -> None:
        self.redis.delete(self._key(veteran_id))
