"""SMS notices queued with the events that call for them (both databases): where the case went, acceptance, the
reply, refusal; to the first mobile number; once per event however often it is delivered; none when the
administrator switched the template off or the event was rejected."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from efangtong_core.models import SmsMessage, SmsTemplate
from efangtong_core.sms_notices import ACCEPTED, NOT_ACCEPTED, REPLIED, ROUTED, render
from efangtong_core.vocabulary import Role
from tests.server.conftest import ServerUnderTest
from tests.sync.case_support import cast, change, china, event, petition_row, push, register

DAY = date(2026, 5, 11)


def _messages(server: ServerUnderTest, petition: str) -> list[SmsMessage]:
    with server.sessions() as session:
        query = select(SmsMessage).where(SmsMessage.petition_id == petition).order_by(SmsMessage.created_at)
        found = list(session.scalars(query))
        session.expunge_all()
        return found


def test_notices_follow_the_case_once_each(server: ServerUnderTest) -> None:
    c = cast(server)
    petition, _ = register(server, c, town=c.town_a, at=china(DAY, 9), phone="0477-8612345")
    petitioner = petition_row(server, petition).petitioner_id
    mobile = change("petitioner_phone", {"petitioner_id": petitioner, "phone": "139 0477 0002", "position": 1})
    assert push(server, c.counter, [mobile])[0]["outcome"] == "accepted"
    assert _messages(server, petition) == []  # registering sends nothing

    routed = event(petition, "transferred", Role.DISPATCHER, china(DAY, 10), unit=c.town_a)
    first = push(server, c.counter, [routed])
    assert push(server, c.counter, [routed]) == first  # delivered twice, applied and queued once
    signed = event(petition, "signed_for", Role.HANDLER, china(DAY, 11), actor_unit=c.town_a)
    accepted = event(petition, "accepted", Role.HANDLER, china(DAY, 12), actor_unit=c.town_a)
    too_early = event(petition, "replied", Role.UNIT_HEAD, china(DAY, 13))
    assert [a["outcome"] for a in push(server, c.handler_a, [signed, accepted])] == ["accepted", "accepted"]
    assert push(server, c.head_a, [too_early])[0]["outcome"] == "rejected"  # no draft yet: no notice either
    draft = event(petition, "reply_drafted", Role.HANDLER, china(date(2026, 6, 1)), outcome="explained")
    assert push(server, c.handler_a, [draft])[0]["outcome"] == "accepted"
    replied = event(petition, "replied", Role.UNIT_HEAD, china(date(2026, 6, 2)))
    assert push(server, c.head_a, [replied])[0]["outcome"] == "accepted"

    messages = _messages(server, petition)
    case_number = petition_row(server, petition).case_number
    assert case_number is not None and case_number.startswith("伊信〔2026〕")
    assert [m.template_code for m in messages] == [ROUTED, ACCEPTED, REPLIED]
    assert {m.to_phone for m in messages} == {"13904770002"}  # the landline first in the list cannot get SMS
    assert {m.state for m in messages} == {"queued"}
    routed_params = messages[0].params
    assert routed_params["case_number"] == case_number and routed_params["unit"] == "乌兰木伦镇"
    assert routed_params["date"] == "2026年5月11日" and routed_params["action"] == "转送"
    assert messages[2].params["outcome"] == "解释说明"
    text = render("{name}您好：信访事项（编号{case_number}）已{action}{unit}办理。", routed_params)
    assert text == f"王建军您好：信访事项（编号{case_number}）已转送乌兰木伦镇办理。"


def test_a_template_switched_off_sends_nothing_and_refusals_are_told(server: ServerUnderTest) -> None:
    c = cast(server)
    with server.sessions() as session:
        session.add(SmsTemplate(code=ROUTED, name="转送交办通知", text="{name}：已{action}{unit}", active=False))
        session.commit()
    quiet, _ = register(server, c, town=c.town_a, at=china(DAY, 9))
    routed = event(quiet, "assigned", Role.DISPATCHER, china(DAY, 10), unit=c.town_a, deadline="2026-06-30")
    assert push(server, c.counter, [routed])[0]["outcome"] == "accepted"
    assert _messages(server, quiet) == []
    refused, _ = register(server, c, town=c.town_a, at=china(DAY, 9))
    no = event(refused, "not_accepted", Role.DISPATCHER, china(DAY, 10), reason="不属于信访事项")
    assert push(server, c.counter, [no])[0]["outcome"] == "accepted"
    [message] = _messages(server, refused)
    assert message.template_code == NOT_ACCEPTED and message.to_phone == "13904770001"
