"""User-facing texts of the case window and its action dialogs (案件)."""

from __future__ import annotations

from efangtong_core.lifecycle import EventType

WINDOW_TITLE = "案件 {number}"
LOADING = "正在读取案件……"
LOAD_FAILED = "读取案件失败：{reason}"
SAVED = "已记录「{event}」，将在下次同步时发送到服务器"
SAVING = "正在保存……"
DEADLINE_LEFT = "期限 {deadline}（剩 {days} 天）"
DEADLINE_TODAY = "期限 {deadline}（今天到期）"
DEADLINE_OVER = "期限 {deadline}（已超期 {days} 天）"
NO_DEADLINE = "无办理期限"
REGISTERED = "{at:%Y-%m-%d %H:%M}　{form}　{purpose}"
PENDING = "（待同步）"
REFUSED = "被服务器退回：{reason}"
REFUSED_TIP = "该事件被服务器退回，未生效。可在状态栏「被退回的修改」中重新发送或放弃。"
ATTACHMENT_MISSING = "附件内容尚未下载到本机，请同步后再打开"
ATTACHMENT_OPEN_FAILED = "无法打开附件「{name}」"
SELECT_ATTACHMENT = "请先选择一个附件"
PLAY = "播放"
PLAYER_TITLE = "播放 {name}"
PICK_ATTACHMENTS = "选择附件"
ATTACHMENT_FILTER = (
    "所有文件 (*);;图片 (*.png *.jpg *.jpeg *.bmp *.gif);;音频 (*.mp3 *.wav *.m4a *.amr);;视频 (*.mp4 *.avi *.mov)"
)
SUGGESTED = "{name}（推荐：{reason}）"
TEXT_REQUIRED = "请填写{field}"
CHOOSE_UNIT = "请选择主办单位"
CHOOSE_UNIT_ITEM = "（请选择）"
INTO_REQUIRED = "请填写要并入的原件的案件编号、临时编号或查询码"
NO_NOTICE = "本件还没有需要出具文书的事件"
DRAFT_OUTCOME = "待审批的处理意见：{outcome}"
REQUESTED_DAYS = "申请延期 {days} 日"

# Button captions of the actions, by event (the lifecycle's labels where they read well as a button).
BUTTONS: dict[EventType, str] = {
    EventType.ACCEPTED: "受理",
    EventType.NOT_ACCEPTED: "不予受理",
    EventType.NOT_REACCEPTED: "不再受理",
    EventType.TRANSFERRED: "转送",
    EventType.ASSIGNED: "交办",
    EventType.SIGNED_FOR: "签收",
    EventType.RETURNED_MISROUTED: "异议退回",
    EventType.NOTE: "办理记录",
    EventType.EXTENSION_REQUESTED: "申请延期",
    EventType.EXTENSION_APPROVED: "批准延期",
    EventType.EXTENSION_REFUSED: "不批准延期",
    EventType.SUPERVISED: "督办",
    EventType.REPLY_DRAFTED: "拟写处理意见",
    EventType.REPLY_RETURNED: "退回处理意见",
    EventType.REPLIED: "批准处理意见书",
    EventType.EVALUATED: "录入评价",
    EventType.REVIEW_REQUESTED: "申请复查",
    EventType.REVIEW_DECIDED: "复查意见",
    EventType.RE_REVIEW_REQUESTED: "申请复核",
    EventType.RE_REVIEW_DECIDED: "复核意见",
    EventType.CLOSED: "办结",
    EventType.MERGED: "合并",
}
