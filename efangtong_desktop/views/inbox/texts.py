"""User-facing text of the 待办 page and of printing notices."""

from __future__ import annotations

PAGE_SUBTITLE = "本单位需要处理的信访件：签收、办理、审批与督办，按期限先后排列。双击或按回车打开案件。"
TAB_LABEL = "{label}（{count}）"
COLUMNS = ("编号", "信访人", "事项摘要", "分类", "属地", "状态", "主办单位", "登记日期", "期限", "倒计时")
ALL_STATES = "全部状态"
ALL_TOWNS = "全部属地"
ALL_CATEGORIES = "全部分类"
LOADING = "正在读取待办…"
UPDATED = "更新于 {time}"
LOAD_FAILED = "读取待办失败：{error}"
NOT_SIGNED_IN = "请先登录，登录后这里列出本单位需要处理的信访件。"
NO_QUEUES = "当前账号的角色没有待办事项（待办适用于承办员、单位负责人、分办员、督查员和局领导）。"
EMPTY_QUEUE = "「{label}」中没有信访件。"
EMPTY_FILTERED = "没有符合筛选条件的信访件。"
URGENCY_TOOLTIPS = {
    "near": "期限临近：剩余不超过 3 个工作日",
    "today": "今日到期",
    "overdue": "已超过办理期限",
}
PRINT_NO_SELECTION = "请先在列表中选中一件信访件。"
PRINT_NO_NOTICE = "该信访件还没有可出具文书的事项（受理、不予受理、延期、答复、复查、复核等）。"
PRINT_FAILED = "生成文书失败：{error}"
PRINT_TITLE = "打印文书"
PRINT_PREVIEW_TITLE = "{name} — 打印预览"
