"""User-facing Chinese texts of the repeat panel and the verification chip."""

from __future__ import annotations

CHIP_PREFIX = "身份核验："
CHIP_TOOLTIP_DEFAULT = "联网核验姓名与公民身份号码是否一致"

PANEL_IDLE = "读取身份证或填写身份号码后，这里显示此人的信访记录和可能重复的事项。"
PANEL_LOADING = "正在查询此人的信访记录…"
PANEL_NEW_PERSON = "此人此前没有信访记录。"
PANEL_HISTORY = "此前信访 {count} 次，未办结 {open} 件；首次 {first}，最近 {last}。"
PANEL_STATES = "状态：{states}"
PANEL_LIKELY = "{count} 件内容相近，可能是重复信访"
PANEL_FAILED = "查询信访记录失败：{reason}"
PANEL_LINKED = "已关联：{number}"
PANEL_LINK_FAILED = "关联失败：{reason}"
PANEL_SELECT_FIRST = "请先在列表中选择原信访件"
NO_NUMBER = "（无编号）"
COLUMNS = ("相似度", "登记日期", "状态", "案件编号", "内容摘要")
LIKELY_TOOLTIP = "内容相似度较高，可能是同一事项的重复信访"
DETAIL_HEADING = "{day} 登记 · {number} · {state} · 相似度 {similarity}"
PANEL_UNLINKED = "已取消关联：{number}"
LINK_BUTTON = "关联为重复信访(&L)"
UNLINK_BUTTON = "取消关联(&U)"
