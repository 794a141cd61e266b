"""The state table itself: every state reachable from a draft, final states final, and the
main path of DESIGN.md §5 present."""

from eguarantee.guarantees import workflow
from eguarantee.guarantees.choices import GuaranteeStatus as S


def test_every_state_is_reachable_from_a_draft():
    reached, frontier = {S.DRAFT}, [S.DRAFT]
    while frontier:
        status = frontier.pop()
        for transition in workflow.actions_from(status):
            if transition.target not in reached:
                reached.add(transition.target)
                frontier.append(transition.target)
    assert reached == set(S)


def test_final_states_have_no_way_out():
    for status in workflow.FINAL:
        assert workflow.actions_from(status) == []


def test_the_main_path():
    path = ["submit", "accept", "approve", "confirm_payment", "issue", "release"]
    status = S.DRAFT
    for action in path:
        assert workflow.allowed(action, status), (action, status)
        status = workflow.TRANSITIONS[action].target
    assert status == S.RELEASED
    assert not workflow.allowed("issue", S.ISSUED)  # never twice
    assert not workflow.allowed("nonsense", S.DRAFT)
