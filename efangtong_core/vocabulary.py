"""The domain's fixed vocabularies (codes stored in the database) and their Chinese labels, kept in one place.

Codes are short ASCII strings so that they read the same in SQLite, PostgreSQL, the sync wire format and logs;
labels are what users see. Petition states and case event types live in `efangtong_core.lifecycle`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

COUNTY_CODE = "150627"
COUNTY_NAME = "伊金霍洛旗"
BUREAU_NAME = "伊金霍洛旗信访局"


class LabelledEnum(StrEnum):
    """A code enum whose members carry a Chinese label."""

    label: str

    def __new__(cls, code: str, label: str) -> LabelledEnum:
        member = str.__new__(cls, code)
        member._value_ = code
        member.label = label
        return member

    @classmethod
    def from_code(cls, code: str) -> Self:
        """The member whose stored code is `code`."""
        for member in cls:
            if member.value == code:
                return member
        raise ValueError(f"未知的{cls.__doc__ or cls.__name__}代码：{code}")

    @classmethod
    def has_code(cls, code: str) -> bool:
        """True when `code` is the stored code of a member."""
        return code in cls._value2member_map_

    @classmethod
    def from_label(cls, label: str) -> LabelledEnum:
        """The member whose Chinese label is `label`."""
        for member in cls:
            if member.label == label:
                return member
        raise ValueError(f"未知的{cls.__doc__ or cls.__name__}：{label}")


class PetitionForm(LabelledEnum):
    """信访形式"""

    LETTER = "letter", "来信"
    VISIT = "visit", "来访"
    ONLINE = "online", "网上"
    PHONE = "phone", "电话"
    FAX = "fax", "传真"
    AGENT = "agent", "代办"


class PetitionPurpose(LabelledEnum):
    """信访目的"""

    APPEAL = "appeal", "申诉"
    REQUEST = "request", "求决"
    ACCUSATION = "accusation", "揭发控告"
    SUGGESTION = "suggestion", "意见建议"
    CONSULTATION = "consultation", "咨询"
    OTHER = "other", "其他"


class Role(LabelledEnum):
    """角色"""

    ADMIN = "admin", "系统管理员"
    LEADER = "leader", "局领导"
    CLERK = "clerk", "登记员"
    DISPATCHER = "dispatcher", "分办员"
    HANDLER = "handler", "承办员"
    UNIT_HEAD = "unit_head", "单位负责人"
    INSPECTOR = "inspector", "督查员"
    AGENT = "agent", "代办员"
    BIGSCREEN = "bigscreen", "大屏"


class OrgUnitKind(LabelledEnum):
    """单位类别"""

    BUREAU = "bureau", "信访局"
    TOWN = "town", "镇"
    ZONE = "zone", "开发区"
    DEPARTMENT = "department", "部门"


class Sex(LabelledEnum):
    """性别"""

    MALE = "male", "男"
    FEMALE = "female", "女"
    UNKNOWN = "unknown", "未知"


class ReplyOutcome(LabelledEnum):
    """处理意见"""

    SUPPORTED = "supported", "支持"
    EXPLAINED = "explained", "解释说明"
    NOT_SUPPORTED = "not_supported", "不予支持"


class Satisfaction(LabelledEnum):
    """评价"""

    SATISFIED = "satisfied", "满意"
    BASICALLY_SATISFIED = "basically_satisfied", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


class WarningLevel(LabelledEnum):
    """预警级别"""

    RED = "red", "红色"
    ORANGE = "orange", "橙色"
    YELLOW = "yellow", "黄色"


# The seven towns of 伊金霍洛旗 with the township-level codes this system uses for them.
TOWNS: tuple[tuple[str, str], ...] = (
    ("150627100", "阿勒腾席热镇"),
    ("150627101", "札萨克镇"),
    ("150627102", "乌兰木伦镇"),
    ("150627103", "纳林陶亥镇"),
    ("150627104", "苏布尔嘎镇"),
    ("150627105", "红庆河镇"),
    ("150627106", "伊金霍洛镇"),
)

MAX_GROUP_REPRESENTATIVES = 5
"""《信访工作条例》第十八条: a group visit chooses at most five representatives."""
