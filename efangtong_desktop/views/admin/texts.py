"""The Chinese strings of the 系统设置 screens (labels that belong to a layout live in the `ui/admin_*.ui` forms)."""

from __future__ import annotations

PAGE_SUBTITLE = "单位、用户与授权、设备、内容分类、期限与节假日、短信模板、分办规则、系统参数和审计日志。"
REFUSED_HEADING = "系统设置仅限系统管理员使用"
REFUSED_TEXT = "您当前的角色没有系统设置权限。如需调整单位、用户、授权或业务配置，请联系信访局系统管理员。"
NOT_SIGNED_IN_TEXT = "系统设置需要以系统管理员身份在线登录中心服务器后使用。"

TAB_UNITS = "单位"
TAB_USERS = "用户与授权"
TAB_DEVICES = "设备"
TAB_CATEGORIES = "内容分类"
TAB_DEADLINES = "期限规则与节假日"
TAB_SMS = "短信模板"
TAB_ROUTING = "分办规则"
TAB_PARAMETERS = "系统参数"
TAB_AUDIT = "审计日志"

LOADING = "正在读取……"
SAVING = "正在保存……"
SAVED = "已保存。"
LOADED = "共 {count} 条。"
NO_SELECTION = "请先在列表中选择一行。"
CONFIRM_TITLE = "请确认"
YES = "是"
NO = "否"
ANY = "任意"
NONE = "（无）"
TOP_LEVEL = "（一级分类）"

# Buttons.
NEW = "新增"
EDIT = "修改"
DEACTIVATE = "停用"
REACTIVATE = "启用"
DELETE = "删除"

# 单位
UNITS_HINT = "单位按上下级排列。停用单位前须先停用其下级单位和用户。"
UNIT_COLUMNS = ("单位名称", "简称", "类别", "行政区划代码", "排序", "状态")
UNIT_NEW_TITLE = "新增单位"
UNIT_EDIT_TITLE = "修改单位：{name}"
UNIT_NAME_EMPTY = "请填写单位名称。"
STATUS_ACTIVE = "启用"
STATUS_INACTIVE = "已停用"

# 用户与授权
USER_COLUMNS = ("登录名", "姓名", "所属单位", "角色", "手机号", "状态", "最近登录")
GRANT_COLUMNS = ("角色", "授权范围", "授予时间")
USER_NEW = "新增用户"
USER_DISABLE = "停用"
USER_ENABLE = "启用"
USER_RESET_PASSWORD = "重置密码"
GRANT_ADD = "授予角色"
GRANT_REVOKE = "撤销授权"
USER_NEW_TITLE = "新增用户"
USER_EDIT_TITLE = "修改用户：{name}"
USER_FIELDS_EMPTY = "请填写登录名和姓名，并选择所属单位。"
USER_PASSWORD_EMPTY = "请填写初始密码。"
USER_STATUS_DISABLED = "已停用"
USER_STATUS_LOCKED = "已锁定"
USER_STATUS_MUST_CHANGE = "待改初始密码"
USER_STATUS_NORMAL = "正常"
GRANT_TITLE = "授予角色：{name}"
RESET_TITLE = "重置密码：{name}"
CONFIRM_DISABLE_USER = "停用用户“{name}”？其所有登录将立即失效。"
CONFIRM_REVOKE_GRANT = "撤销“{name}”在“{scope}”的“{role}”角色？"
GRANT_NO_SELECTION = "请先在下方选择一条授权。"

# 设备
DEVICES_HINT = "柜台电脑首次登录时自动登记。停用设备会立即结束该设备上的所有登录，且不能再登录，直至恢复。"
DEVICE_COLUMNS = ("设备名称", "所在单位", "登记人", "登记时间", "最近联系", "最近地址", "在线会话", "状态")
DEVICE_REVOKE = "停用设备"
DEVICE_RESTORE = "恢复设备"
DEVICE_REVOKED = "已停用"
DEVICE_ACTIVE = "正常"
CONFIRM_REVOKE_DEVICE = "停用设备“{name}”？该设备上的所有登录将立即失效。"

# 内容分类
CATEGORIES_HINT = "内容分类分两级；登记信访件时须选到二级分类。停用一级分类前须先停用其二级分类。"
CATEGORY_COLUMNS = ("分类", "代码", "排序", "状态")
CATEGORY_NEW = "新增分类"
CATEGORY_NEW_TITLE = "新增内容分类"
CATEGORY_EDIT_TITLE = "修改内容分类：{name}"
CATEGORY_FIELDS_EMPTY = "请填写分类代码和名称。"

# 期限规则与节假日
RULE_COLUMNS = ("名称", "天数", "计算方式", "起算事件", "依据条款", "状态")
HOLIDAY_COLUMNS = ("日期", "星期", "类别", "名称")
RULE_EDIT = "修改规则"
RULE_EDIT_TITLE = "修改期限规则：{name}"
RULE_NAME_EMPTY = "请填写规则名称。"
HOLIDAY_NEW = "新增日期"
HOLIDAY_DELETE = "删除日期"
HOLIDAY_NEW_TITLE = "新增节假日或调休"
CONFIRM_DELETE_HOLIDAY = "从节假日表中删除 {day}？"
WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")

# 短信模板
SMS_HINT = "短信模板的代码由系统使用，创建后不能修改；内容中的 {参数} 在发送时替换。"
SMS_COLUMNS = ("代码", "名称", "内容", "参数", "服务商模板编号", "状态")
SMS_NEW_TITLE = "新增短信模板"
SMS_EDIT_TITLE = "修改短信模板：{name}"
SMS_FIELDS_EMPTY = "请填写模板代码、名称和内容。"

# 分办规则
ROUTING_HINT = "登记时按分办规则建议承办单位：优先级大者优先；分类或属地为“任意”的规则匹配所有。"
ROUTING_COLUMNS = ("内容分类", "问题属地", "承办单位", "优先级", "状态")
ROUTING_NEW_TITLE = "新增分办规则"
ROUTING_EDIT_TITLE = "修改分办规则"
ROUTING_UNIT_EMPTY = "请选择承办单位。"
CONFIRM_DELETE_ROUTING = "删除这条分办规则（{category} · {town} → {unit}）？"

# 系统参数
PARAMETERS_HINT = "系统参数修改后立即生效，无需重启服务器。"
PARAMETER_COLUMNS = ("参数", "说明", "当前值", "默认值", "修改时间")
PARAMETER_EDIT_TITLE = "修改系统参数：{key}"
PARAMETER_DEFAULT_MARK = "{value}（默认）"

# 审计日志
AUDIT_COLUMNS = ("时间", "用户", "动作", "对象类型", "对象标识", "来源地址", "详情")
AUDIT_ALL_USERS = "全部用户"
AUDIT_ALL_ENTITIES = "全部对象"
AUDIT_ALL_ACTIONS = "全部动作"
AUDIT_ENTITIES = {
    "petitioner": "信访人",
    "petition": "信访件",
    "auth_session": "登录会话",
    "user_account": "用户",
    "role_grant": "授权",
    "org_unit": "单位",
    "device": "设备",
    "content_category": "内容分类",
    "deadline_rule": "期限规则",
    "holiday": "节假日",
    "sms_template": "短信模板",
    "routing_rule": "分办规则",
    "system_parameter": "系统参数",
}
AUDIT_ACTIONS = {
    "read": "查看",
    "create": "新增",
    "update": "修改",
    "delete": "删除",
    "login": "登录",
    "lock": "锁定",
    "grant": "授权",
    "revoke": "撤销/停用",
    "restore": "恢复",
    "reactivate": "启用",
    "reset_password": "重置密码",
    "change_password": "修改密码",
    "import": "导入",
    "export": "导出",
}
AUDIT_RANGE_BAD = "起始时间应早于截止时间。"
