"""A registration is corrected only while the case is 待分办: once the server has routed it, a counter's offline
correction of the petition's registration fields or the representatives is rejected with a reason (both databases)."""

from __future__ import annotations

import uuid
from datetime import date

from efangtong_core.vocabulary import Role
from tests.server.conftest import ServerUnderTest
from tests.sync.case_support import cast, change, china, event, petition_row, push, register

DAY = date(2026, 3, 2)


def _outcome(answer: dict[str, object]) -> object:
    return answer["outcome"] if answer["outcome"] == "accepted" else answer["code"]


def test_corrections_apply_while_registered_and_are_refused_once_the_case_is_routed(server: ServerUnderTest) -> None:
    c = cast(server)
    petition, answers = register(server, c, town=c.town_a, at=china(DAY, 9))
    assert [a["outcome"] for a in answers] == ["accepted"] * 4
    representative = str(uuid.uuid4())
    early = push(
        server,
        c.counter,
        [
            change("petition", {"content": "反映征地补偿款未到位，涉及三户。", "head_count": 6}, petition),
            change("petitioner", {"name": "乌云", "sex": "female"}, representative),
            change(
                "petition_representative", {"petition_id": petition, "petitioner_id": representative, "position": 1}
            ),
        ],
    )
    assert [_outcome(a) for a in early] == ["accepted"] * 3

    routed = event(petition, "assigned", Role.DISPATCHER, china(DAY, 10), unit=c.town_a, deadline="2026-04-30")
    assert push(server, c.counter, [routed])[0]["outcome"] == "accepted"
    late = push(
        server,
        c.counter,
        [
            change("petition", {"content": "改写后的内容"}, petition),
            change(
                "petition_representative", {"petition_id": petition, "petitioner_id": representative, "position": 2}
            ),
            change("petition", {"content": "反映征地补偿款未到位，涉及三户。"}, petition),  # the same value: no change
        ],
    )
    assert [_outcome(a) for a in late] == ["registration_closed", "registration_closed", "accepted"]
    assert (
        late[0]["reason"]
        == "该信访件已分办（当前状态：已交办（待签收）），登记信息不能再更正；如确需更正，请联系分办员"
    )
    row = petition_row(server, petition)
    assert (row.content, row.head_count, row.state) == ("反映征地补偿款未到位，涉及三户。", 6, "assigned")
