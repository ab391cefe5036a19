"""Content-category logic: two levels, unique stable codes, deactivation that keeps the tree consistent."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from efangtong_core.models import ContentCategory
from efangtong_server.admin.common import (
    Conflict,
    NotFound,
    Refused,
    create_audited,
    refuse_nulls,
    set_active_audited,
    update_audited,
)
from efangtong_server.audit.service import Actor

ENTITY = "content_category"
FIELDS = ("code", "name", "parent_id", "sort_order")


def category_tree(
    session: Session, *, include_inactive: bool = True
) -> list[tuple[ContentCategory, list[ContentCategory]]]:
    """First-level categories, each with its children, by sort order then code (no tombstoned rows)."""
    rows = list(session.scalars(select(ContentCategory).where(ContentCategory.deleted_at.is_(None))))
    if not include_inactive:
        rows = [row for row in rows if row.active]
    rows.sort(key=lambda row: (row.sort_order, row.code))
    tops = [row for row in rows if row.parent_id is None]
    children: dict[str, list[ContentCategory]] = {row.id: [] for row in tops}
    for row in rows:
        if row.parent_id in children:
            children[row.parent_id].append(row)
    return [(top, children[top.id]) for top in tops]


def get_category(session: Session, *, category_id: str) -> ContentCategory:
    """The category `category_id`; NotFound when missing or tombstoned."""
    category = session.get(ContentCategory, category_id)
    if category is None or category.deleted_at is not None:
        raise NotFound("内容分类不存在")
    return category


def create_category(session: Session, *, actor: Actor, values: dict[str, Any]) -> ContentCategory:
    """Create a category; a child's parent must be an active first-level category and prefix the child's code."""
    code, parent_id = values["code"], values.get("parent_id")
    if parent_id is None:
        if len(code) != 2:
            raise Refused("一级分类代码应为 2 位数字")
    else:
        parent = session.get(ContentCategory, parent_id)
        if parent is None or parent.deleted_at is not None:
            raise Refused("上级分类不存在")
        if parent.parent_id is not None:
            raise Refused("只能在一级分类下新增二级分类（分类最多两级）")
        if not parent.active:
            raise Refused(f"上级分类「{parent.name}」已停用")
        if len(code) != 4 or not code.startswith(parent.code):
            raise Refused(f"二级分类代码应为上级代码 {parent.code} 加 2 位数字")
    holder = session.scalar(select(ContentCategory).where(ContentCategory.code == code))
    if holder is not None:
        raise Conflict(f"分类代码 {code} 已被「{holder.name}」使用")
    category = ContentCategory(**{field: values.get(field) for field in FIELDS}, active=True)
    create_audited(session, actor=actor, entity=ENTITY, row=category, fields=FIELDS)
    return category


def update_category(session: Session, *, actor: Actor, category_id: str, values: dict[str, Any]) -> ContentCategory:
    """Change a category's name or sort order."""
    refuse_nulls(values, {"name": "分类名称", "sort_order": "排序"})
    category = get_category(session, category_id=category_id)
    update_audited(session, actor=actor, entity=ENTITY, row=category, values=values)
    return category


def set_category_active(session: Session, *, actor: Actor, category_id: str, active: bool) -> ContentCategory:
    """Deactivate (a first-level one only after its children) or reactivate (only under an active parent)."""
    category = get_category(session, category_id=category_id)
    if category.active == active:
        raise Conflict("该分类已是启用状态" if active else "该分类已停用")
    if active and category.parent_id is not None:
        parent = session.get(ContentCategory, category.parent_id)
        if parent is not None and not parent.active:
            raise Refused(f"上级分类「{parent.name}」已停用，请先启用上级分类")
    if not active:
        children = session.scalar(
            select(func.count())
            .select_from(ContentCategory)
            .where(
                ContentCategory.parent_id == category.id,
                ContentCategory.deleted_at.is_(None),
                ContentCategory.active.is_(True),
            )
        )
        if children:
            raise Refused(f"该分类下还有 {children} 个启用的二级分类，请先停用二级分类")
    set_active_audited(session, actor=actor, entity=ENTITY, row=category, active=active)
    return category
