"""Top-1 intent accuracy of the policy Q&A on held-out phrasings, per province and per held-out set.

Trains the classifier on dialogs/nlu (as the app does at start), then asks each province's
`PolicyQA.classify` every phrasing of each set (phrasings that name a province are asked only
there). An out-of-scope phrasing that gets an FAQ answer counts as an invented answer. The sets,
all in tests/bot and none in the training data:
- heldout.yml: written with the training examples, by the same hand;
- heldout_blind.yml: written by a second hand that never saw the examples; its errors were then
  studied and taught (pinyin spelled back, long questions with their story first, other services
  asked like ours), so it now measures the data it shaped;
- heldout_third.yml: written blind by a third hand after those changes; its errors then taught too;
- heldout_fourth.yml: likewise, by a fourth hand (older veterans and their families); taught too;
- heldout_fifth.yml: written blind by a fifth hand after all of that; its errors then taught, by
  families of other services rather than its phrasings;
- heldout_sixth.yml: written blind by a sixth hand; never tuned on, but the lead had seen its first
  errors when briefing the next round of teaching (families of other services), so it is no longer untouched.
- heldout_seventh.yml: written blind by a seventh hand, never tuned on; measured after two more rounds of
  teaching, its errors not read until round 5 (below);
- heldout_eighth.yml: written blind by an eighth hand after the seventh's measurement; its errors (and the
  seventh's) then taught in round 5, by families (a relative going in the veteran's place, the story before
  the question, pinyin, other services' photos, materials and windows, a reservist's duties), so neither
  is untouched any more;
- heldout_ninth.yml: written blind by a ninth hand while round 5 was taught, first run after it; never tuned on,
  its errors never read.

    .venv/bin/python bench/faq_accuracy.py [--errors] [--seed N]

`--seed N` trains with another SGD seed: the classifier runs to convergence, so the figures are the same.
"""
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.intents import OUT_OF_SCOPE, IntentClassifier  # noqa: E402
from bot.nlu_data import read_nlu_dir  # noqa: E402
from bot.policy_qa import PolicyQA  # noqa: E402
from catalog.loader import DIALOGS_DIR, load_profile  # noqa: E402

HELDOUT = ROOT / "tests" / "bot" / "heldout.yml"
HELDOUT_SETS = ("heldout.yml", "heldout_blind.yml", "heldout_third.yml", "heldout_fourth.yml",
                "heldout_fifth.yml", "heldout_sixth.yml", "heldout_seventh.yml", "heldout_eighth.yml",
                "heldout_ninth.yml")
PROVINCES = ("guangdong", "sichuan", "jilin")


def load_heldout(path: Path = HELDOUT) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def evaluate(qa: PolicyQA, items: list[dict]) -> dict:
    """{asked, correct, out_of_scope, invented, errors: [(text, expected, got)]} for one province."""
    asked = [item for item in items if item.get("province", qa.profile.key) == qa.profile.key]
    result = {"asked": len(asked), "correct": 0, "out_of_scope": 0, "invented": 0, "errors": []}
    for item in asked:
        got = qa.classify(item["text"])
        if got.intent == item["intent"]:
            result["correct"] += 1
        else:
            result["errors"].append((item["text"], item["intent"], f"{got.intent} {got.confidence:.2f}"))
        if item["intent"] == OUT_OF_SCOPE:
            result["out_of_scope"] += 1
            result["invented"] += qa.answer_for(got) is not None
    return result


def main() -> None:
    started = time.perf_counter()
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 0
    classifier = IntentClassifier.train(read_nlu_dir(DIALOGS_DIR / "nlu"), seed)
    trained = time.perf_counter() - started
    training = sum(len(examples) for examples in classifier.examples.values())
    print(f"trained on {training} examples of {len(classifier.intents)} intents in {trained:.2f} s")
    provinces = {p: PolicyQA.load(DIALOGS_DIR, load_profile(p), classifier) for p in PROVINCES}
    for name in HELDOUT_SETS:
        items = load_heldout(HELDOUT.parent / name)
        print(f"{name}: {len(items)} phrasings")
        for province, qa in provinces.items():
            result = evaluate(qa, items)
            accuracy = result["correct"] / result["asked"]
            print(f"  {province:10s} top-1 {accuracy:6.1%} ({result['correct']}/{result['asked']}), "
                  f"out-of-scope with an invented answer: {result['invented']}/{result['out_of_scope']}")
            if "--errors" in sys.argv:
                for text, expected, got in result["errors"]:
                    print(f"      {text}  expected {expected}, got {got}")


if __name__ == "__main__":
    main()
