"""User-facing texts of the case services (案件办理): refusals and the words a case's events are described in."""

from __future__ import annotations

CASE_NOT_FOUND = "本地没有该信访件，请先同步"
NO_ROLE = "您的角色不能进行「{event}」"
UNIT_REQUIRED = "请选择主办单位"
CO_UNIT_UNKNOWN = "协办单位无效，请重新选择"
CO_UNIT_IS_LEAD = "主办单位不能同时作为协办单位"
MERGE_TARGET_UNKNOWN = "找不到要并入的信访件，请核对案件编号或查询码"
MERGE_INTO_ITSELF = "不能把信访件并入它自己"
MERGE_TARGET_MERGED = "要并入的信访件已被合并到其他信访件，请并入最终的原件"
ATTACHMENT_UNREADABLE = "无法读取附件「{name}」：{error}"
TEXT_REQUIRED = "请填写{field}"
NOTE_EMPTY = "办理记录须填写内容或添加附件"
DAYS_INVALID = "延期天数须为 1 至 {limit} 的整数"

# How payload fields read in the timeline.
FIELD_NAMES = {
    "unit": "承办单位",
    "co_units": "协办单位",
    "deadline": "期限",
    "reason": "理由",
    "text": "内容",
    "notice": "告知情况",
    "days": "延期天数",
    "outcome": "处理意见",
    "satisfaction": "评价",
    "comment": "评价意见",
    "into": "并入",
    "note": "说明",
}
DAYS_VALUE = "{days} 日"
NO_NUMBER = "（未编号）"
ANONYMOUS = "（匿名）"
REFUSED_NO_REASON = "服务器未说明原因"
