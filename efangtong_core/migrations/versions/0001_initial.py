"""Initial schema: every table of DESIGN.md §2 (the first released version).

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-25

Must run on SQLite (batch mode) and PostgreSQL alike. After adding a revision, run
`scripts/store_schema_snapshot.py` to store a database file of it for the migration tests.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade the schema."""
    op.create_table(
        "content_category",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID，产生处生成）"),
        sa.Column("parent_id", sa.String(length=36), nullable=True, comment="上级分类"),
        sa.Column("code", sa.String(length=16), nullable=False, comment="分类代码（一级 2 位，二级 4 位）"),
        sa.Column("name", sa.String(length=100), nullable=False, comment="分类名称"),
        sa.Column("sort_order", sa.Integer(), nullable=False, comment="排序"),
        sa.Column("active", sa.Boolean(), nullable=False, comment="是否启用"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, comment="最后修改时间（UTC）"),
        sa.Column("origin", sa.String(length=64), nullable=True, comment="写入该行的设备标识；NULL 表示服务器产生"),
        sa.Column("server_seq", sa.BigInteger(), nullable=True, comment="服务器接受变更时分配的序号；仅本地时为 NULL"),
        sa.Column(
            "deleted_at", sa.DateTime(timezone=True), nullable=True, comment="删除标记（墓碑），复制数据从不物理删除"
        ),
        sa.ForeignKeyConstraint(["parent_id"], ["content_category.id"], name=op.f("fk_content_category_parent_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_category")),
    )
    op.create_index(op.f("ix_content_category_code"), "content_category", ["code"], unique=True)
    op.create_index(op.f("ix_content_category_parent_id"), "content_category", ["parent_id"], unique=False)
    op.create_index(op.f("ix_content_category_server_seq"), "content_category", ["server_seq"], unique=True)

    op.create_table(
        "deadline_rule",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID，产生处生成）"),
        sa.Column("code", sa.String(length=32), nullable=False, comment="规则代码"),
        sa.Column("name", sa.String(length=100), nullable=False, comment="名称"),
        sa.Column("article", sa.String(length=100), nullable=False, comment="依据条款（如《信访工作条例》第三十二条）"),
        sa.Column("days", sa.Integer(), nullable=False, comment="天数"),
        sa.Column("day_kind", sa.String(length=8), nullable=False, comment="calendar 自然日 / working 工作日"),
        sa.Column("starts_at", sa.String(length=32), nullable=False, comment="起算事件类型（lifecycle 代码）"),
        sa.Column("note", sa.Text(), nullable=True, comment="说明"),
        sa.Column("active", sa.Boolean(), nullable=False, comment="是否启用"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, comment="最后修改时间（UTC）"),
        sa.Column("origin", sa.String(length=64), nullable=True, comment="写入该行的设备标识；NULL 表示服务器产生"),
        sa.Column("server_seq", sa.BigInteger(), nullable=True, comment="服务器接受变更时分配的序号；仅本地时为 NULL"),
        sa.Column(
            "deleted_at", sa.DateTime(timezone=True), nullable=True, comment="删除标记（墓碑），复制数据从不物理删除"
        ),
        sa.CheckConstraint("day_kind IN ('calendar', 'working')", name=op.f("ck_deadline_rule_day_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_rule")),
    )
    op.create_index(op.f("ix_deadline_rule_code"), "deadline_rule", ["code"], unique=True)
    op.create_index(op.f("ix_deadline_rule_server_seq"), "deadline_rule", ["server_seq"], unique=True)

    op.create_table(
        "holiday",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID，产生处生成）"),
        sa.Column("day", sa.Date(), nullable=False, comment="日期"),
        sa.Column("kind", sa.String(length=8), nullable=False, comment="holiday 放假 / workday 调休上班"),
        sa.Column("name", sa.String(length=50), nullable=True, comment="名称（如 春节）"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, comment="最后修改时间（UTC）"),
        sa.Column("origin", sa.String(length=64), nullable=True, comment="写入该行的设备标识；NULL 表示服务器产生"),
        sa.Column("server_seq", sa.BigInteger(), nullable=True, comment="服务器接受变更时分配的序号；仅本地时为 NULL"),
        sa.Column(
            "deleted_at", sa.DateTime(timezone=True), nullable=True, comment="删除标记（墓碑），复制数据从不物理删除"
        ),
        sa.CheckConstraint("kind IN ('holiday', 'workday')", name=op.f("ck_holiday_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holiday")),
    )
    op.create_index(op.f("ix_holiday_day"), "holiday", ["day"], unique=True)
    op.create_index(op.f("ix_holiday_server_seq"), "holiday", ["server_seq"], unique=True)

    op.create_table(
        "org_unit",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID，产生处生成）"),
        sa.Column("name", sa.String(length=100), nullable=False, comment="单位名称"),
        sa.Column("short_name", sa.String(length=50), nullable=True, comment="简称"),
        sa.Column("kind", sa.String(length=16), nullable=False, comment="单位类别（vocabulary.OrgUnitKind 代码）"),
        sa.Column("parent_id", sa.String(length=36), nullable=True, comment="上级单位"),
        sa.Column("division_code", sa.String(length=12), nullable=True, comment="行政区划代码（镇级为 9 位）"),
        sa.Column("sort_order", sa.Integer(), nullable=False, comment="排序"),
        sa.Column("active", sa.Boolean(), nullable=False, comment="是否启用"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, comment="最后修改时间（UTC）"),
        sa.Column("origin", sa.String(length=64), nullable=True, comment="写入该行的设备标识；NULL 表示服务器产生"),
        sa.Column("server_seq", sa.BigInteger(), nullable=True, comment="服务器接受变更时分配的序号；仅本地时为 NULL"),
        sa.Column(
            "deleted_at", sa.DateTime(timezone=True), nullable=True, comment="删除标记（墓碑），复制数据从不物理删除"
        ),
        sa.ForeignKeyConstraint(["parent_id"], ["org_unit.id"], name=op.f("fk_org_unit_parent_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_unit")),
    )
    op.create_index(op.f("ix_org_unit_division_code"), "org_unit", ["division_code"], unique=True)
    op.create_index(op.f("ix_org_unit_parent_id"), "org_unit", ["parent_id"], unique=False)
    op.create_index(op.f("ix_org_unit_server_seq"), "org_unit", ["server_seq"], unique=True)

    op.create_table(
        "petitioner",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID，产生处生成）"),
        sa.Column(
            "id_type",
            sa.String(length=16),
            nullable=False,
            comment="证件类型：resident 居民身份证 / hmt 港澳台居住证 / foreign 永居证 / other 其他",
        ),
        sa.Column("id_number", sa.String(length=18), nullable=True, comment="证件号码（规范化）；匿名或无证件时为空"),
        sa.Column("name", sa.String(length=100), nullable=False, comment="姓名"),
        sa.Column("name_initials", sa.String(length=50), nullable=True, comment="姓名拼音首字母（小写）"),
        sa.Column("sex", sa.String(length=8), nullable=False, comment="性别（vocabulary.Sex 代码）"),
        sa.Column("nation", sa.String(length=20), nullable=True, comment="民族（如 汉、蒙古）"),
        sa.Column("birth_date", sa.Date(), nullable=True, comment="出生日期"),
        sa.Column("address", sa.String(length=200), nullable=True, comment="住址"),
        sa.Column("home_division_code", sa.String(length=12), nullable=True, comment="户籍区划代码（由证件号码得出）"),
        sa.Column(
            "card_photo_sha256",
            sa.String(length=64),
            nullable=True,
            comment="证件照（附件内容散列，见 attachment.sha256）",
        ),
        sa.Column("anonymous", sa.Boolean(), nullable=False, comment="匿名信访"),
        sa.Column(
            "verification_status",
            sa.String(length=16),
            nullable=False,
            comment="联网核验：unverified 未核验/pending 待核验/match 一致/mismatch 不一致/not_found 查无/error",
        ),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True, comment="核验时间"),
        sa.Column("note", sa.Text(), nullable=True, comment="备注"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, comment="最后修改时间（UTC）"),
        sa.Column("origin", sa.String(length=64), nullable=True, comment="写入该行的设备标识；NULL 表示服务器产生"),
        sa.Column("server_seq", sa.BigInteger(), nullable=True, comment="服务器接受变更时分配的序号；仅本地时为 NULL"),
        sa.Column(
            "deleted_at", sa.DateTime(timezone=True), nullable=True, comment="删除标记（墓碑），复制数据从不物理删除"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petitioner")),
    )
    op.create_index(op.f("ix_petitioner_id_number"), "petitioner", ["id_number"], unique=False)
    op.create_index(op.f("ix_petitioner_name_initials"), "petitioner", ["name_initials"], unique=False)
    op.create_index(op.f("ix_petitioner_server_seq"), "petitioner", ["server_seq"], unique=True)

    op.create_table(
        "sms_template",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID，产生处生成）"),
        sa.Column("code", sa.String(length=32), nullable=False, comment="模板代码（如 accepted）"),
        sa.Column("name", sa.String(length=100), nullable=False, comment="模板名称"),
        sa.Column("text", sa.Text(), nullable=False, comment="模板内容，含 {参数} 占位符"),
        sa.Column("provider_template_code", sa.String(length=64), nullable=True, comment="短信服务商的模板编号"),
        sa.Column("active", sa.Boolean(), nullable=False, comment="是否启用"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, comment="最后修改时间（UTC）"),
        sa.Column("origin", sa.String(length=64), nullable=True, comment="写入该行的设备标识；NULL 表示服务器产生"),
        sa.Column("server_seq", sa.BigInteger(), nullable=True, comment="服务器接受变更时分配的序号；仅本地时为 NULL"),
        sa.Column(
            "deleted_at", sa.DateTime(timezone=True), nullable=True, comment="删除标记（墓碑），复制数据从不物理删除"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_template")),
    )
    op.create_index(op.f("ix_sms_template_code"), "sms_template", ["code"], unique=True)
    op.create_index(op.f("ix_sms_template_server_seq"), "sms_template", ["server_seq"], unique=True)

    op.create_table(
        "system_parameter",
        sa.Column("key", sa.String(length=64), nullable=False, comment="参数名"),
        sa.Column("value", sa.JSON(), nullable=True, comment="参数值（JSON）"),
        sa.Column("note", sa.Text(), nullable=True, comment="说明"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True, comment="修改时间（UTC）"),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_system_parameter")),
    )
    op.create_table(
        "verification_code",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID）"),
        sa.Column("phone", sa.String(length=20), nullable=False, comment="手机号"),
        sa.Column("code_hash", sa.String(length=128), nullable=False, comment="验证码散列"),
        sa.Column("purpose", sa.String(length=32), nullable=False, comment="用途：login/query/booking ..."),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False, comment="过期时间"),
        sa.Column("attempts", sa.Integer(), nullable=False, comment="已校验次数"),
        sa.Column("consumed_at", sa.DateTime(timezone=True), nullable=True, comment="使用时间"),
        sa.Column("requested_ip", sa.String(length=45), nullable=True, comment="请求来源地址"),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False, comment="发送时间"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_code")),
    )
    op.create_index(
        "ix_verification_code_phone_purpose", "verification_code", ["phone", "purpose", "created_at"], unique=False
    )

    op.create_table(
        "warning_rule",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID，产生处生成）"),
        sa.Column("code", sa.String(length=32), nullable=False, comment="规则代码"),
        sa.Column("name", sa.String(length=100), nullable=False, comment="规则名称"),
        sa.Column("level", sa.String(length=8), nullable=False, comment="预警级别（vocabulary.WarningLevel 代码）"),
        sa.Column("params", sa.JSON(), nullable=False, comment="规则参数（JSON）"),
        sa.Column("active", sa.Boolean(), nullable=False, comment="是否启用"),
        sa.Column("note", sa.Text(), nullable=True, comment="说明"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, comment="最后修改时间（UTC）"),
        sa.Column("origin", sa.String(length=64), nullable=True, comment="写入该行的设备标识；NULL 表示服务器产生"),
        sa.Column("server_seq", sa.BigInteger(), nullable=True, comment="服务器接受变更时分配的序号；仅本地时为 NULL"),
        sa.Column(
            "deleted_at", sa.DateTime(timezone=True), nullable=True, comment="删除标记（墓碑），复制数据从不物理删除"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warning_rule")),
    )
    op.create_index(op.f("ix_warning_rule_code"), "warning_rule", ["code"], unique=True)
    op.create_index(op.f("ix_warning_rule_server_seq"), "warning_rule", ["server_seq"], unique=True)

    op.create_table(
        "petitioner_phone",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID，产生处生成）"),
        sa.Column("petitioner_id", sa.String(length=36), nullable=False, comment="信访人"),
        sa.Column("phone", sa.String(length=20), nullable=False, comment="电话号码（仅数字）"),
        sa.Column("position", sa.Integer(), nullable=False, comment="顺序，0 为首选"),
        sa.Column("label", sa.String(length=20), nullable=True, comment="说明（本人、家属……）"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, comment="最后修改时间（UTC）"),
        sa.Column("origin", sa.String(length=64), nullable=True, comment="写入该行的设备标识；NULL 表示服务器产生"),
        sa.Column("server_seq", sa.BigInteger(), nullable=True, comment="服务器接受变更时分配的序号；仅本地时为 NULL"),
        sa.Column(
            "deleted_at", sa.DateTime(timezone=True), nullable=True, comment="删除标记（墓碑），复制数据从不物理删除"
        ),
        sa.ForeignKeyConstraint(["petitioner_id"], ["petitioner.id"], name=op.f("fk_petitioner_phone_petitioner_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petitioner_phone")),
    )
    op.create_index(op.f("ix_petitioner_phone_petitioner_id"), "petitioner_phone", ["petitioner_id"], unique=False)
    op.create_index(op.f("ix_petitioner_phone_phone"), "petitioner_phone", ["phone"], unique=False)
    op.create_index(op.f("ix_petitioner_phone_server_seq"), "petitioner_phone", ["server_seq"], unique=True)

    op.create_table(
        "routing_rule",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID，产生处生成）"),
        sa.Column("category_id", sa.String(length=36), nullable=True, comment="内容分类（空为任意）"),
        sa.Column("town_id", sa.String(length=36), nullable=True, comment="问题属地（空为任意）"),
        sa.Column("unit_id", sa.String(length=36), nullable=False, comment="承办单位"),
        sa.Column("priority", sa.Integer(), nullable=False, comment="优先级（大者优先）"),
        sa.Column("active", sa.Boolean(), nullable=False, comment="是否启用"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, comment="最后修改时间（UTC）"),
        sa.Column("origin", sa.String(length=64), nullable=True, comment="写入该行的设备标识；NULL 表示服务器产生"),
        sa.Column("server_seq", sa.BigInteger(), nullable=True, comment="服务器接受变更时分配的序号；仅本地时为 NULL"),
        sa.Column(
            "deleted_at", sa.DateTime(timezone=True), nullable=True, comment="删除标记（墓碑），复制数据从不物理删除"
        ),
        sa.ForeignKeyConstraint(["category_id"], ["content_category.id"], name=op.f("fk_routing_rule_category_id")),
        sa.ForeignKeyConstraint(["town_id"], ["org_unit.id"], name=op.f("fk_routing_rule_town_id")),
        sa.ForeignKeyConstraint(["unit_id"], ["org_unit.id"], name=op.f("fk_routing_rule_unit_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_rule")),
    )
    op.create_index("ix_routing_rule_category_town", "routing_rule", ["category_id", "town_id"], unique=False)
    op.create_index(op.f("ix_routing_rule_server_seq"), "routing_rule", ["server_seq"], unique=True)

    op.create_table(
        "user_account",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID，产生处生成）"),
        sa.Column("username", sa.String(length=64), nullable=False, comment="登录名"),
        sa.Column("display_name", sa.String(length=50), nullable=False, comment="姓名"),
        sa.Column("phone", sa.String(length=20), nullable=True, comment="手机号"),
        sa.Column("password_hash", sa.String(length=255), nullable=True, comment="口令散列（argon2id）"),
        sa.Column("must_change_password", sa.Boolean(), nullable=False, comment="首次登录须修改口令"),
        sa.Column("disabled", sa.Boolean(), nullable=False, comment="已停用"),
        sa.Column("failed_logins", sa.Integer(), nullable=False, comment="连续登录失败次数"),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True, comment="锁定至"),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True, comment="最近登录时间"),
        sa.Column("org_unit_id", sa.String(length=36), nullable=False, comment="所属单位"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, comment="最后修改时间（UTC）"),
        sa.Column("origin", sa.String(length=64), nullable=True, comment="写入该行的设备标识；NULL 表示服务器产生"),
        sa.Column("server_seq", sa.BigInteger(), nullable=True, comment="服务器接受变更时分配的序号；仅本地时为 NULL"),
        sa.Column(
            "deleted_at", sa.DateTime(timezone=True), nullable=True, comment="删除标记（墓碑），复制数据从不物理删除"
        ),
        sa.ForeignKeyConstraint(["org_unit_id"], ["org_unit.id"], name=op.f("fk_user_account_org_unit_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
    )
    op.create_index(op.f("ix_user_account_org_unit_id"), "user_account", ["org_unit_id"], unique=False)
    op.create_index(op.f("ix_user_account_server_seq"), "user_account", ["server_seq"], unique=True)
    op.create_index(op.f("ix_user_account_username"), "user_account", ["username"], unique=True)

    op.create_table(
        "agent",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID，产生处生成）"),
        sa.Column("user_id", sa.String(length=36), nullable=True, comment="对应的系统用户"),
        sa.Column("name", sa.String(length=50), nullable=False, comment="姓名"),
        sa.Column("town_id", sa.String(length=36), nullable=False, comment="所在镇"),
        sa.Column("village", sa.String(length=100), nullable=True, comment="嘎查村/社区"),
        sa.Column("phone", sa.String(length=20), nullable=True, comment="联系电话"),
        sa.Column("active", sa.Boolean(), nullable=False, comment="在岗"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, comment="最后修改时间（UTC）"),
        sa.Column("origin", sa.String(length=64), nullable=True, comment="写入该行的设备标识；NULL 表示服务器产生"),
        sa.Column("server_seq", sa.BigInteger(), nullable=True, comment="服务器接受变更时分配的序号；仅本地时为 NULL"),
        sa.Column(
            "deleted_at", sa.DateTime(timezone=True), nullable=True, comment="删除标记（墓碑），复制数据从不物理删除"
        ),
        sa.ForeignKeyConstraint(["town_id"], ["org_unit.id"], name=op.f("fk_agent_town_id")),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_agent_user_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent")),
    )
    op.create_index(op.f("ix_agent_phone"), "agent", ["phone"], unique=False)
    op.create_index(op.f("ix_agent_server_seq"), "agent", ["server_seq"], unique=True)
    op.create_index(op.f("ix_agent_town_id"), "agent", ["town_id"], unique=False)
    op.create_index(op.f("ix_agent_user_id"), "agent", ["user_id"], unique=False)

    op.create_table(
        "audit_log",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
            comment="序号",
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, comment="时间"),
        sa.Column("user_id", sa.String(length=36), nullable=True, comment="用户"),
        sa.Column("username", sa.String(length=64), nullable=True, comment="用户名（冗余，便于查询已删除用户）"),
        sa.Column(
            "action", sa.String(length=32), nullable=False, comment="动作：read/create/update/delete/login/export ..."
        ),
        sa.Column("entity", sa.String(length=64), nullable=True, comment="对象类型（表名）"),
        sa.Column("entity_id", sa.String(length=36), nullable=True, comment="对象标识"),
        sa.Column("device_id", sa.String(length=64), nullable=True, comment="设备"),
        sa.Column("ip", sa.String(length=45), nullable=True, comment="来源地址"),
        sa.Column("details", sa.JSON(), nullable=False, comment="详情（JSON）"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_audit_log_user_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"], unique=False)
    op.create_index("ix_audit_log_entity", "audit_log", ["entity", "entity_id", "at"], unique=False)
    op.create_index("ix_audit_log_user_at", "audit_log", ["user_id", "at"], unique=False)

    op.create_table(
        "device",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID）"),
        sa.Column("name", sa.String(length=100), nullable=False, comment="设备名称"),
        sa.Column("org_unit_id", sa.String(length=36), nullable=True, comment="所在单位"),
        sa.Column("registered_by_id", sa.String(length=36), nullable=True, comment="登记人"),
        sa.Column("schema_revision", sa.String(length=32), nullable=True, comment="设备上报的数据库版本"),
        sa.Column("client_version", sa.String(length=32), nullable=True, comment="客户端版本"),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True, comment="最近联系时间"),
        sa.Column("last_seen_ip", sa.String(length=45), nullable=True, comment="最近联系地址"),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True, comment="吊销时间"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.ForeignKeyConstraint(["org_unit_id"], ["org_unit.id"], name=op.f("fk_device_org_unit_id")),
        sa.ForeignKeyConstraint(["registered_by_id"], ["user_account.id"], name=op.f("fk_device_registered_by_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device")),
    )
    op.create_index(op.f("ix_device_org_unit_id"), "device", ["org_unit_id"], unique=False)

    op.create_table(
        "exchange_batch",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID）"),
        sa.Column("direction", sa.String(length=4), nullable=False, comment="方向：out 上报 / in 接收"),
        sa.Column("status", sa.String(length=16), nullable=False, comment="状态"),
        sa.Column("external_id", sa.String(length=64), nullable=True, comment="对方批次号"),
        sa.Column("record_count", sa.Integer(), nullable=False, comment="记录数"),
        sa.Column("accepted_count", sa.Integer(), nullable=False, comment="对方接受数"),
        sa.Column("rejected_count", sa.Integer(), nullable=False, comment="对方拒收数"),
        sa.Column("cursor_from", sa.Integer(), nullable=True, comment="本批起始 server_seq（含）"),
        sa.Column("cursor_to", sa.Integer(), nullable=True, comment="本批结束 server_seq（含）"),
        sa.Column("payload_ref", sa.String(length=255), nullable=True, comment="报文存储位置（附件散列或文件名）"),
        sa.Column("error", sa.Text(), nullable=True, comment="错误信息"),
        sa.Column("attempts", sa.Integer(), nullable=False, comment="尝试次数"),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True, comment="开始时间"),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True, comment="完成时间"),
        sa.Column("created_by_id", sa.String(length=36), nullable=True, comment="发起人"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"], name=op.f("fk_exchange_batch_created_by_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_batch")),
    )
    op.create_index("ix_exchange_batch_direction_status", "exchange_batch", ["direction", "status"], unique=False)
    op.create_index(op.f("ix_exchange_batch_external_id"), "exchange_batch", ["external_id"], unique=False)

    op.create_table(
        "reception_session",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID，产生处生成）"),
        sa.Column("leader_id", sa.String(length=36), nullable=False, comment="接访领导"),
        sa.Column("day", sa.Date(), nullable=False, comment="接访日期"),
        sa.Column("starts_at", sa.Time(), nullable=True, comment="开始时间（当地）"),
        sa.Column("ends_at", sa.Time(), nullable=True, comment="结束时间（当地）"),
        sa.Column("place", sa.String(length=200), nullable=False, comment="地点"),
        sa.Column("slot_capacity", sa.Integer(), nullable=False, comment="可预约名额"),
        sa.Column("topic", sa.String(length=200), nullable=True, comment="接访主题"),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True, comment="取消时间"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, comment="最后修改时间（UTC）"),
        sa.Column("origin", sa.String(length=64), nullable=True, comment="写入该行的设备标识；NULL 表示服务器产生"),
        sa.Column("server_seq", sa.BigInteger(), nullable=True, comment="服务器接受变更时分配的序号；仅本地时为 NULL"),
        sa.Column(
            "deleted_at", sa.DateTime(timezone=True), nullable=True, comment="删除标记（墓碑），复制数据从不物理删除"
        ),
        sa.ForeignKeyConstraint(["leader_id"], ["user_account.id"], name=op.f("fk_reception_session_leader_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reception_session")),
    )
    op.create_index("ix_reception_session_day_leader", "reception_session", ["day", "leader_id"], unique=False)
    op.create_index(op.f("ix_reception_session_server_seq"), "reception_session", ["server_seq"], unique=True)

    op.create_table(
        "record_history",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID，产生处生成）"),
        sa.Column("table_name", sa.String(length=64), nullable=False, comment="表名"),
        sa.Column("row_id", sa.String(length=36), nullable=False, comment="行标识"),
        sa.Column("field", sa.String(length=64), nullable=False, comment="字段"),
        sa.Column("old_value", sa.JSON(), nullable=True, comment="被覆盖的值"),
        sa.Column("new_value", sa.JSON(), nullable=True, comment="新值"),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False, comment="变更时间"),
        sa.Column("changed_by_id", sa.String(length=36), nullable=True, comment="变更人"),
        sa.Column("change_origin", sa.String(length=64), nullable=True, comment="胜出的变更来自哪台设备"),
        sa.Column("losing_origin", sa.String(length=64), nullable=True, comment="被覆盖的值来自哪台设备"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, comment="最后修改时间（UTC）"),
        sa.Column("origin", sa.String(length=64), nullable=True, comment="写入该行的设备标识；NULL 表示服务器产生"),
        sa.Column("server_seq", sa.BigInteger(), nullable=True, comment="服务器接受变更时分配的序号；仅本地时为 NULL"),
        sa.Column(
            "deleted_at", sa.DateTime(timezone=True), nullable=True, comment="删除标记（墓碑），复制数据从不物理删除"
        ),
        sa.ForeignKeyConstraint(["changed_by_id"], ["user_account.id"], name=op.f("fk_record_history_changed_by_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_history")),
    )
    op.create_index("ix_record_history_row", "record_history", ["table_name", "row_id"], unique=False)
    op.create_index(op.f("ix_record_history_server_seq"), "record_history", ["server_seq"], unique=True)

    op.create_table(
        "role_grant",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID，产生处生成）"),
        sa.Column("user_id", sa.String(length=36), nullable=False, comment="用户"),
        sa.Column("role", sa.String(length=16), nullable=False, comment="角色（vocabulary.Role 代码）"),
        sa.Column("scope_unit_id", sa.String(length=36), nullable=False, comment="授权范围（单位）"),
        sa.Column("granted_by_id", sa.String(length=36), nullable=True, comment="授权人"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, comment="最后修改时间（UTC）"),
        sa.Column("origin", sa.String(length=64), nullable=True, comment="写入该行的设备标识；NULL 表示服务器产生"),
        sa.Column("server_seq", sa.BigInteger(), nullable=True, comment="服务器接受变更时分配的序号；仅本地时为 NULL"),
        sa.Column(
            "deleted_at", sa.DateTime(timezone=True), nullable=True, comment="删除标记（墓碑），复制数据从不物理删除"
        ),
        sa.ForeignKeyConstraint(["granted_by_id"], ["user_account.id"], name=op.f("fk_role_grant_granted_by_id")),
        sa.ForeignKeyConstraint(["scope_unit_id"], ["org_unit.id"], name=op.f("fk_role_grant_scope_unit_id")),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_role_grant_user_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_grant")),
    )
    op.create_index(op.f("ix_role_grant_scope_unit_id"), "role_grant", ["scope_unit_id"], unique=False)
    op.create_index(op.f("ix_role_grant_server_seq"), "role_grant", ["server_seq"], unique=True)
    op.create_index("ix_role_grant_user_role", "role_grant", ["user_id", "role"], unique=False)

    op.create_table(
        "warning",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID，产生处生成）"),
        sa.Column("rule_code", sa.String(length=32), nullable=False, comment="规则代码"),
        sa.Column("level", sa.String(length=8), nullable=False, comment="预警级别（vocabulary.WarningLevel 代码）"),
        sa.Column(
            "subject_type",
            sa.String(length=32),
            nullable=False,
            comment="对象类型：petition/petitioner/org_unit/category",
        ),
        sa.Column("subject_id", sa.String(length=36), nullable=False, comment="对象标识"),
        sa.Column("unit_id", sa.String(length=36), nullable=True, comment="责任单位"),
        sa.Column("message", sa.Text(), nullable=False, comment="预警内容"),
        sa.Column("details", sa.JSON(), nullable=False, comment="依据（JSON）"),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True, comment="到期时间"),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False, comment="产生时间"),
        sa.Column("acknowledged_by_id", sa.String(length=36), nullable=True, comment="确认人"),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True, comment="确认时间"),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True, comment="解除时间（条件消失）"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, comment="最后修改时间（UTC）"),
        sa.Column("origin", sa.String(length=64), nullable=True, comment="写入该行的设备标识；NULL 表示服务器产生"),
        sa.Column("server_seq", sa.BigInteger(), nullable=True, comment="服务器接受变更时分配的序号；仅本地时为 NULL"),
        sa.Column(
            "deleted_at", sa.DateTime(timezone=True), nullable=True, comment="删除标记（墓碑），复制数据从不物理删除"
        ),
        sa.ForeignKeyConstraint(
            ["acknowledged_by_id"], ["user_account.id"], name=op.f("fk_warning_acknowledged_by_id")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["org_unit.id"], name=op.f("fk_warning_unit_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warning")),
    )
    op.create_index("ix_warning_by_rule", "warning", ["rule_code"], unique=False)
    op.create_index("ix_warning_open", "warning", ["acknowledged_at", "level", "due_at"], unique=False)
    op.create_index(op.f("ix_warning_server_seq"), "warning", ["server_seq"], unique=True)
    op.create_index("ix_warning_subject", "warning", ["subject_type", "subject_id"], unique=False)
    op.create_index(op.f("ix_warning_unit_id"), "warning", ["unit_id"], unique=False)

    op.create_table(
        "petition",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID，产生处生成）"),
        sa.Column("case_number", sa.String(length=32), nullable=True, comment="案件编号（服务器分配，按年唯一）"),
        sa.Column("provisional_number", sa.String(length=40), nullable=True, comment="临时编号（柜台离线登记时）"),
        sa.Column("query_code", sa.String(length=16), nullable=False, comment="查询码"),
        sa.Column("form", sa.String(length=16), nullable=False, comment="信访形式（vocabulary.PetitionForm 代码）"),
        sa.Column(
            "purpose", sa.String(length=16), nullable=False, comment="信访目的（vocabulary.PetitionPurpose 代码）"
        ),
        sa.Column("category_id", sa.String(length=36), nullable=True, comment="内容分类（二级）"),
        sa.Column("town_id", sa.String(length=36), nullable=True, comment="问题属地（镇）"),
        sa.Column("head_count", sa.Integer(), nullable=False, comment="来访人数"),
        sa.Column("title", sa.String(length=200), nullable=True, comment="标题/概要"),
        sa.Column("content", sa.Text(), nullable=False, comment="信访内容"),
        sa.Column("registering_unit_id", sa.String(length=36), nullable=False, comment="登记单位"),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False, comment="登记时间"),
        sa.Column("registered_by_id", sa.String(length=36), nullable=True, comment="登记人"),
        sa.Column("petitioner_id", sa.String(length=36), nullable=True, comment="信访人（第一信访人）"),
        sa.Column("agent_id", sa.String(length=36), nullable=True, comment="代办员"),
        sa.Column("repeat_of_id", sa.String(length=36), nullable=True, comment="重复信访的原件"),
        sa.Column("merged_into_id", sa.String(length=36), nullable=True, comment="并入的案件"),
        sa.Column("state", sa.String(length=32), nullable=False, comment="当前状态（lifecycle 代码，由事件推导）"),
        sa.Column("deadline", sa.Date(), nullable=True, comment="当前期限（由事件推导）"),
        sa.Column("lead_unit_id", sa.String(length=36), nullable=True, comment="主办单位（由事件推导）"),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True, comment="受理时间（由事件推导）"),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True, comment="办结时间（由事件推导）"),
        sa.Column("event_count", sa.Integer(), nullable=False, comment="已应用的事件数（由事件推导）"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, comment="最后修改时间（UTC）"),
        sa.Column("origin", sa.String(length=64), nullable=True, comment="写入该行的设备标识；NULL 表示服务器产生"),
        sa.Column("server_seq", sa.BigInteger(), nullable=True, comment="服务器接受变更时分配的序号；仅本地时为 NULL"),
        sa.Column(
            "deleted_at", sa.DateTime(timezone=True), nullable=True, comment="删除标记（墓碑），复制数据从不物理删除"
        ),
        sa.CheckConstraint("head_count >= 1", name=op.f("ck_petition_head_count_positive")),
        sa.ForeignKeyConstraint(["agent_id"], ["agent.id"], name=op.f("fk_petition_agent_id")),
        sa.ForeignKeyConstraint(["category_id"], ["content_category.id"], name=op.f("fk_petition_category_id")),
        sa.ForeignKeyConstraint(["lead_unit_id"], ["org_unit.id"], name=op.f("fk_petition_lead_unit_id")),
        sa.ForeignKeyConstraint(["merged_into_id"], ["petition.id"], name=op.f("fk_petition_merged_into_id")),
        sa.ForeignKeyConstraint(["petitioner_id"], ["petitioner.id"], name=op.f("fk_petition_petitioner_id")),
        sa.ForeignKeyConstraint(["registered_by_id"], ["user_account.id"], name=op.f("fk_petition_registered_by_id")),
        sa.ForeignKeyConstraint(["registering_unit_id"], ["org_unit.id"], name=op.f("fk_petition_registering_unit_id")),
        sa.ForeignKeyConstraint(["repeat_of_id"], ["petition.id"], name=op.f("fk_petition_repeat_of_id")),
        sa.ForeignKeyConstraint(["town_id"], ["org_unit.id"], name=op.f("fk_petition_town_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition")),
    )
    op.create_index(op.f("ix_petition_agent_id"), "petition", ["agent_id"], unique=False)
    op.create_index(op.f("ix_petition_case_number"), "petition", ["case_number"], unique=True)
    op.create_index(op.f("ix_petition_category_id"), "petition", ["category_id"], unique=False)
    op.create_index("ix_petition_lead_unit_state", "petition", ["lead_unit_id", "state"], unique=False)
    op.create_index(op.f("ix_petition_petitioner_id"), "petition", ["petitioner_id"], unique=False)
    op.create_index(op.f("ix_petition_query_code"), "petition", ["query_code"], unique=True)
    op.create_index("ix_petition_registered_at", "petition", ["registered_at"], unique=False)
    op.create_index(op.f("ix_petition_registering_unit_id"), "petition", ["registering_unit_id"], unique=False)
    op.create_index(op.f("ix_petition_repeat_of_id"), "petition", ["repeat_of_id"], unique=False)
    op.create_index(op.f("ix_petition_server_seq"), "petition", ["server_seq"], unique=True)
    op.create_index("ix_petition_state_deadline", "petition", ["state", "deadline"], unique=False)
    op.create_index(
        "ix_petition_town_category_registered", "petition", ["town_id", "category_id", "registered_at"], unique=False
    )

    op.create_table(
        "agent_case",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID，产生处生成）"),
        sa.Column("agent_id", sa.String(length=36), nullable=False, comment="代办员"),
        sa.Column("petition_id", sa.String(length=36), nullable=False, comment="信访件"),
        sa.Column("state", sa.String(length=16), nullable=False, comment="状态：open 代办中 / done 已办结 / dropped"),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False, comment="接办时间"),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True, comment="办结时间"),
        sa.Column("note", sa.Text(), nullable=True, comment="代办情况"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, comment="最后修改时间（UTC）"),
        sa.Column("origin", sa.String(length=64), nullable=True, comment="写入该行的设备标识；NULL 表示服务器产生"),
        sa.Column("server_seq", sa.BigInteger(), nullable=True, comment="服务器接受变更时分配的序号；仅本地时为 NULL"),
        sa.Column(
            "deleted_at", sa.DateTime(timezone=True), nullable=True, comment="删除标记（墓碑），复制数据从不物理删除"
        ),
        sa.ForeignKeyConstraint(["agent_id"], ["agent.id"], name=op.f("fk_agent_case_agent_id")),
        sa.ForeignKeyConstraint(["petition_id"], ["petition.id"], name=op.f("fk_agent_case_petition_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_case")),
    )
    op.create_index("ix_agent_case_agent_state", "agent_case", ["agent_id", "state"], unique=False)
    op.create_index(op.f("ix_agent_case_petition_id"), "agent_case", ["petition_id"], unique=False)
    op.create_index(op.f("ix_agent_case_server_seq"), "agent_case", ["server_seq"], unique=True)

    op.create_table(
        "agent_evaluation",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID，产生处生成）"),
        sa.Column("agent_id", sa.String(length=36), nullable=False, comment="代办员"),
        sa.Column("petition_id", sa.String(length=36), nullable=True, comment="信访件"),
        sa.Column("satisfaction", sa.String(length=24), nullable=False, comment="评价（vocabulary.Satisfaction 代码）"),
        sa.Column("score", sa.Integer(), nullable=True, comment="分数（0–100，可选）"),
        sa.Column("comment_text", sa.Text(), nullable=True, comment="评价意见"),
        sa.Column("evaluated_by_id", sa.String(length=36), nullable=True, comment="评价录入人"),
        sa.Column("evaluated_at", sa.DateTime(timezone=True), nullable=False, comment="评价时间"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, comment="最后修改时间（UTC）"),
        sa.Column("origin", sa.String(length=64), nullable=True, comment="写入该行的设备标识；NULL 表示服务器产生"),
        sa.Column("server_seq", sa.BigInteger(), nullable=True, comment="服务器接受变更时分配的序号；仅本地时为 NULL"),
        sa.Column(
            "deleted_at", sa.DateTime(timezone=True), nullable=True, comment="删除标记（墓碑），复制数据从不物理删除"
        ),
        sa.ForeignKeyConstraint(["agent_id"], ["agent.id"], name=op.f("fk_agent_evaluation_agent_id")),
        sa.ForeignKeyConstraint(
            ["evaluated_by_id"], ["user_account.id"], name=op.f("fk_agent_evaluation_evaluated_by_id")
        ),
        sa.ForeignKeyConstraint(["petition_id"], ["petition.id"], name=op.f("fk_agent_evaluation_petition_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_evaluation")),
    )
    op.create_index(op.f("ix_agent_evaluation_agent_id"), "agent_evaluation", ["agent_id"], unique=False)
    op.create_index(op.f("ix_agent_evaluation_petition_id"), "agent_evaluation", ["petition_id"], unique=False)
    op.create_index(op.f("ix_agent_evaluation_server_seq"), "agent_evaluation", ["server_seq"], unique=True)

    op.create_table(
        "booking",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID，产生处生成）"),
        sa.Column("session_id", sa.String(length=36), nullable=False, comment="接访场次"),
        sa.Column("petitioner_id", sa.String(length=36), nullable=False, comment="信访人"),
        sa.Column("petition_id", sa.String(length=36), nullable=True, comment="相关信访件"),
        sa.Column("state", sa.String(length=16), nullable=False, comment="状态：booked/checked_in/received/..."),
        sa.Column("channel", sa.String(length=16), nullable=False, comment="预约渠道：counter 柜台 / mobile 手机"),
        sa.Column("booked_at", sa.DateTime(timezone=True), nullable=False, comment="预约时间"),
        sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=True, comment="签到时间"),
        sa.Column("note", sa.String(length=500), nullable=True, comment="备注"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, comment="最后修改时间（UTC）"),
        sa.Column("origin", sa.String(length=64), nullable=True, comment="写入该行的设备标识；NULL 表示服务器产生"),
        sa.Column("server_seq", sa.BigInteger(), nullable=True, comment="服务器接受变更时分配的序号；仅本地时为 NULL"),
        sa.Column(
            "deleted_at", sa.DateTime(timezone=True), nullable=True, comment="删除标记（墓碑），复制数据从不物理删除"
        ),
        sa.ForeignKeyConstraint(["petition_id"], ["petition.id"], name=op.f("fk_booking_petition_id")),
        sa.ForeignKeyConstraint(["petitioner_id"], ["petitioner.id"], name=op.f("fk_booking_petitioner_id")),
        sa.ForeignKeyConstraint(["session_id"], ["reception_session.id"], name=op.f("fk_booking_session_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking")),
    )
    op.create_index(op.f("ix_booking_petition_id"), "booking", ["petition_id"], unique=False)
    op.create_index(op.f("ix_booking_petitioner_id"), "booking", ["petitioner_id"], unique=False)
    op.create_index(op.f("ix_booking_server_seq"), "booking", ["server_seq"], unique=True)
    op.create_index(op.f("ix_booking_session_id"), "booking", ["session_id"], unique=False)

    op.create_table(
        "case_event",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID，产生处生成）"),
        sa.Column("petition_id", sa.String(length=36), nullable=False, comment="信访件"),
        sa.Column("type", sa.String(length=32), nullable=False, comment="事件类型（lifecycle 代码）"),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, comment="发生时间（产生处时钟）"),
        sa.Column("actor_id", sa.String(length=36), nullable=True, comment="操作人"),
        sa.Column("actor_unit_id", sa.String(length=36), nullable=True, comment="操作人单位"),
        sa.Column("role", sa.String(length=16), nullable=True, comment="操作时的角色（vocabulary.Role 代码）"),
        sa.Column("payload", sa.JSON(), nullable=False, comment="事件内容（JSON）"),
        sa.Column("seq", sa.BigInteger(), nullable=False, comment="该案件内的顺序号（产生处）"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, comment="最后修改时间（UTC）"),
        sa.Column("origin", sa.String(length=64), nullable=True, comment="写入该行的设备标识；NULL 表示服务器产生"),
        sa.Column("server_seq", sa.BigInteger(), nullable=True, comment="服务器接受变更时分配的序号；仅本地时为 NULL"),
        sa.Column(
            "deleted_at", sa.DateTime(timezone=True), nullable=True, comment="删除标记（墓碑），复制数据从不物理删除"
        ),
        sa.ForeignKeyConstraint(["actor_id"], ["user_account.id"], name=op.f("fk_case_event_actor_id")),
        sa.ForeignKeyConstraint(["actor_unit_id"], ["org_unit.id"], name=op.f("fk_case_event_actor_unit_id")),
        sa.ForeignKeyConstraint(["petition_id"], ["petition.id"], name=op.f("fk_case_event_petition_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_event")),
    )
    op.create_index(op.f("ix_case_event_actor_id"), "case_event", ["actor_id"], unique=False)
    op.create_index("ix_case_event_petition_seq", "case_event", ["petition_id", "seq"], unique=False)
    op.create_index(op.f("ix_case_event_server_seq"), "case_event", ["server_seq"], unique=True)
    op.create_index("ix_case_event_type_at", "case_event", ["type", "at"], unique=False)

    op.create_table(
        "petition_representative",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID，产生处生成）"),
        sa.Column("petition_id", sa.String(length=36), nullable=False, comment="信访件"),
        sa.Column("petitioner_id", sa.String(length=36), nullable=False, comment="代表（信访人）"),
        sa.Column("position", sa.Integer(), nullable=False, comment="代表序号 1..5"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, comment="最后修改时间（UTC）"),
        sa.Column("origin", sa.String(length=64), nullable=True, comment="写入该行的设备标识；NULL 表示服务器产生"),
        sa.Column("server_seq", sa.BigInteger(), nullable=True, comment="服务器接受变更时分配的序号；仅本地时为 NULL"),
        sa.Column(
            "deleted_at", sa.DateTime(timezone=True), nullable=True, comment="删除标记（墓碑），复制数据从不物理删除"
        ),
        sa.CheckConstraint("position BETWEEN 1 AND 5", name=op.f("ck_petition_representative_position_range")),
        sa.ForeignKeyConstraint(["petition_id"], ["petition.id"], name=op.f("fk_petition_representative_petition_id")),
        sa.ForeignKeyConstraint(
            ["petitioner_id"], ["petitioner.id"], name=op.f("fk_petition_representative_petitioner_id")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition_representative")),
    )
    op.create_index(
        op.f("ix_petition_representative_petitioner_id"), "petition_representative", ["petitioner_id"], unique=False
    )
    op.create_index(
        "ix_petition_representative_position", "petition_representative", ["petition_id", "position"], unique=True
    )
    op.create_index(
        op.f("ix_petition_representative_server_seq"), "petition_representative", ["server_seq"], unique=True
    )

    op.create_table(
        "petition_unit",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID，产生处生成）"),
        sa.Column("petition_id", sa.String(length=36), nullable=False, comment="信访件"),
        sa.Column("unit_id", sa.String(length=36), nullable=False, comment="单位"),
        sa.Column("role", sa.String(length=8), nullable=False, comment="lead 主办 / co 协办"),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False, comment="交办/转送时间"),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True, comment="签收时间"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, comment="最后修改时间（UTC）"),
        sa.Column("origin", sa.String(length=64), nullable=True, comment="写入该行的设备标识；NULL 表示服务器产生"),
        sa.Column("server_seq", sa.BigInteger(), nullable=True, comment="服务器接受变更时分配的序号；仅本地时为 NULL"),
        sa.Column(
            "deleted_at", sa.DateTime(timezone=True), nullable=True, comment="删除标记（墓碑），复制数据从不物理删除"
        ),
        sa.ForeignKeyConstraint(["petition_id"], ["petition.id"], name=op.f("fk_petition_unit_petition_id")),
        sa.ForeignKeyConstraint(["unit_id"], ["org_unit.id"], name=op.f("fk_petition_unit_unit_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition_unit")),
    )
    op.create_index(op.f("ix_petition_unit_petition_id"), "petition_unit", ["petition_id"], unique=False)
    op.create_index(op.f("ix_petition_unit_server_seq"), "petition_unit", ["server_seq"], unique=True)
    op.create_index("ix_petition_unit_unit_role", "petition_unit", ["unit_id", "role"], unique=False)

    op.create_table(
        "sms_message",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID）"),
        sa.Column("to_phone", sa.String(length=20), nullable=False, comment="接收号码"),
        sa.Column("template_code", sa.String(length=32), nullable=False, comment="模板代码"),
        sa.Column("params", sa.JSON(), nullable=False, comment="模板参数（JSON）"),
        sa.Column("petition_id", sa.String(length=36), nullable=True, comment="相关信访件"),
        sa.Column("state", sa.String(length=16), nullable=False, comment="状态（SMS_STATES）"),
        sa.Column("provider", sa.String(length=32), nullable=True, comment="服务商"),
        sa.Column("provider_id", sa.String(length=100), nullable=True, comment="服务商回执编号"),
        sa.Column("attempts", sa.Integer(), nullable=False, comment="已尝试次数"),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True, comment="下次尝试时间"),
        sa.Column("last_error", sa.Text(), nullable=True, comment="最近一次错误"),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True, comment="发送时间"),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True, comment="送达时间"),
        sa.Column("receipt_status", sa.String(length=64), nullable=True, comment="状态报告"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.ForeignKeyConstraint(["petition_id"], ["petition.id"], name=op.f("fk_sms_message_petition_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sms_message")),
    )
    op.create_index(op.f("ix_sms_message_petition_id"), "sms_message", ["petition_id"], unique=False)
    op.create_index(op.f("ix_sms_message_provider_id"), "sms_message", ["provider_id"], unique=False)
    op.create_index("ix_sms_message_state_next", "sms_message", ["state", "next_attempt_at"], unique=False)
    op.create_index(op.f("ix_sms_message_to_phone"), "sms_message", ["to_phone"], unique=False)

    op.create_table(
        "attachment",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID，产生处生成）"),
        sa.Column("sha256", sa.String(length=64), nullable=False, comment="内容 SHA-256（十六进制小写）"),
        sa.Column("size", sa.BigInteger(), nullable=False, comment="字节数"),
        sa.Column("mime", sa.String(length=100), nullable=False, comment="MIME 类型"),
        sa.Column("original_name", sa.String(length=255), nullable=True, comment="原文件名"),
        sa.Column(
            "kind", sa.String(length=16), nullable=False, comment="类别：image/audio/video/scan/document/card_photo"
        ),
        sa.Column("petition_id", sa.String(length=36), nullable=True, comment="所属信访件"),
        sa.Column("case_event_id", sa.String(length=36), nullable=True, comment="所属案件事件"),
        sa.Column("petitioner_id", sa.String(length=36), nullable=True, comment="所属信访人（证件照等）"),
        sa.Column("bytes_present", sa.Boolean(), nullable=False, comment="内容已在本地存储"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, comment="最后修改时间（UTC）"),
        sa.Column("origin", sa.String(length=64), nullable=True, comment="写入该行的设备标识；NULL 表示服务器产生"),
        sa.Column("server_seq", sa.BigInteger(), nullable=True, comment="服务器接受变更时分配的序号；仅本地时为 NULL"),
        sa.Column(
            "deleted_at", sa.DateTime(timezone=True), nullable=True, comment="删除标记（墓碑），复制数据从不物理删除"
        ),
        sa.ForeignKeyConstraint(["case_event_id"], ["case_event.id"], name=op.f("fk_attachment_case_event_id")),
        sa.ForeignKeyConstraint(["petition_id"], ["petition.id"], name=op.f("fk_attachment_petition_id")),
        sa.ForeignKeyConstraint(["petitioner_id"], ["petitioner.id"], name=op.f("fk_attachment_petitioner_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )
    op.create_index(op.f("ix_attachment_case_event_id"), "attachment", ["case_event_id"], unique=False)
    op.create_index(op.f("ix_attachment_petition_id"), "attachment", ["petition_id"], unique=False)
    op.create_index(op.f("ix_attachment_petitioner_id"), "attachment", ["petitioner_id"], unique=False)
    op.create_index(op.f("ix_attachment_server_seq"), "attachment", ["server_seq"], unique=True)
    op.create_index(op.f("ix_attachment_sha256"), "attachment", ["sha256"], unique=False)

    op.create_table(
        "reception_record",
        sa.Column("id", sa.String(length=36), nullable=False, comment="行标识（UUID，产生处生成）"),
        sa.Column("session_id", sa.String(length=36), nullable=True, comment="接访场次"),
        sa.Column("booking_id", sa.String(length=36), nullable=True, comment="预约"),
        sa.Column("petition_id", sa.String(length=36), nullable=True, comment="信访件"),
        sa.Column("leader_id", sa.String(length=36), nullable=False, comment="接访领导"),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False, comment="接访时间"),
        sa.Column("summary", sa.Text(), nullable=False, comment="接访情况"),
        sa.Column("instructions", sa.Text(), nullable=True, comment="领导批示"),
        sa.Column("recorded_by_id", sa.String(length=36), nullable=True, comment="记录人"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, comment="创建时间（UTC）"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, comment="最后修改时间（UTC）"),
        sa.Column("origin", sa.String(length=64), nullable=True, comment="写入该行的设备标识；NULL 表示服务器产生"),
        sa.Column("server_seq", sa.BigInteger(), nullable=True, comment="服务器接受变更时分配的序号；仅本地时为 NULL"),
        sa.Column(
            "deleted_at", sa.DateTime(timezone=True), nullable=True, comment="删除标记（墓碑），复制数据从不物理删除"
        ),
        sa.ForeignKeyConstraint(["booking_id"], ["booking.id"], name=op.f("fk_reception_record_booking_id")),
        sa.ForeignKeyConstraint(["leader_id"], ["user_account.id"], name=op.f("fk_reception_record_leader_id")),
        sa.ForeignKeyConstraint(["petition_id"], ["petition.id"], name=op.f("fk_reception_record_petition_id")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user_account.id"], name=op.f("fk_reception_record_recorded_by_id")
        ),
        sa.ForeignKeyConstraint(["session_id"], ["reception_session.id"], name=op.f("fk_reception_record_session_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reception_record")),
    )
    op.create_index(op.f("ix_reception_record_petition_id"), "reception_record", ["petition_id"], unique=False)
    op.create_index(op.f("ix_reception_record_server_seq"), "reception_record", ["server_seq"], unique=True)
    op.create_index(op.f("ix_reception_record_session_id"), "reception_record", ["session_id"], unique=False)


def downgrade() -> None:
    """Downgrades are not supported: restore a backup instead."""
    raise NotImplementedError("不支持降级，请从备份恢复。")
