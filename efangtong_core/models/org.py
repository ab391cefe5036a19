"""Organisation: org units (信访局, towns, zones, departments), users, role grants scoped to a unit, devices."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from efangtong_core.models.base import ID_LENGTH, Base, LocalRecord, Replicated, UtcDateTime


class OrgUnit(Replicated, Base):
    """An org unit: the bureau, a town, a development zone or a department (单位)."""

    __tablename__ = "org_unit"

    name: Mapped[str] = mapped_column(String(100), comment="单位名称")
    short_name: Mapped[str | None] = mapped_column(String(50), comment="简称")
    kind: Mapped[str] = mapped_column(String(16), comment="单位类别（vocabulary.OrgUnitKind 代码）")
    parent_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("org_unit.id"), index=True, comment="上级单位"
    )
    division_code: Mapped[str | None] = mapped_column(
        String(12), index=True, unique=True, comment="行政区划代码（镇级为 9 位）"
    )
    sort_order: Mapped[int] = mapped_column(Integer, default=0, comment="排序")
    active: Mapped[bool] = mapped_column(Boolean, default=True, comment="是否启用")

    parent: Mapped[OrgUnit | None] = relationship(remote_side="OrgUnit.id", back_populates="children")
    children: Mapped[list[OrgUnit]] = relationship(back_populates="parent")


class User(Replicated, Base):
    """A user account (用户) belonging to an org unit."""

    __tablename__ = "user_account"
    # The hash and the lockout counters stay on the server; replicas keep their own offline verifier.
    __local_columns__ = ("password_hash", "failed_logins", "locked_until")

    username: Mapped[str] = mapped_column(String(64), index=True, unique=True, comment="登录名")
    display_name: Mapped[str] = mapped_column(String(50), comment="姓名")
    phone: Mapped[str | None] = mapped_column(String(20), comment="手机号")
    password_hash: Mapped[str | None] = mapped_column(String(255), comment="口令散列（argon2id）")
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True, comment="首次登录须修改口令")
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, comment="已停用")
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, comment="连续登录失败次数")
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime(), comment="锁定至")
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), comment="最近登录时间")
    org_unit_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("org_unit.id"), index=True, comment="所属单位"
    )

    org_unit: Mapped[OrgUnit] = relationship()
    grants: Mapped[list[RoleGrant]] = relationship(back_populates="user", foreign_keys="RoleGrant.user_id")


class RoleGrant(Replicated, Base):
    """A role (vocabulary.Role) granted to a user within the scope of an org unit (授权)."""

    __tablename__ = "role_grant"
    __table_args__ = (Index("ix_role_grant_user_role", "user_id", "role"),)

    user_id: Mapped[str] = mapped_column(String(ID_LENGTH), ForeignKey("user_account.id"), comment="用户")
    role: Mapped[str] = mapped_column(String(16), comment="角色（vocabulary.Role 代码）")
    scope_unit_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("org_unit.id"), index=True, comment="授权范围（单位）"
    )
    granted_by_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("user_account.id"), comment="授权人"
    )

    user: Mapped[User] = relationship(back_populates="grants", foreign_keys=[user_id])
    scope_unit: Mapped[OrgUnit] = relationship()
    granted_by: Mapped[User | None] = relationship(foreign_keys=[granted_by_id])


class Device(LocalRecord, Base):
    """A registered counter PC (终端设备); server-side registry, not replicated."""

    __tablename__ = "device"

    name: Mapped[str] = mapped_column(String(100), comment="设备名称")
    org_unit_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("org_unit.id"), index=True, comment="所在单位"
    )
    registered_by_id: Mapped[str | None] = mapped_column(
        String(ID_LENGTH), ForeignKey("user_account.id"), comment="登记人"
    )
    schema_revision: Mapped[str | None] = mapped_column(String(32), comment="设备上报的数据库版本")
    client_version: Mapped[str | None] = mapped_column(String(32), comment="客户端版本")
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), comment="最近联系时间")
    last_seen_ip: Mapped[str | None] = mapped_column(String(45), comment="最近联系地址")
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), comment="吊销时间")

    org_unit: Mapped[OrgUnit | None] = relationship()
    registered_by: Mapped[User | None] = relationship()
