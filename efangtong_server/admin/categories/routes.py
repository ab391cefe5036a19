"""Content-category routes: administration under /api/v1/admin/categories, reference under /api/v1/reference."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, status

from efangtong_core.models import ContentCategory
from efangtong_server.access.dependencies import AdminAccess, ReferenceAccess
from efangtong_server.admin.categories import service
from efangtong_server.admin.categories.schemas import CategoryCreate, CategoryOut, CategoryUpdate
from efangtong_server.admin.common import AdminRoute, actor_of
from efangtong_server.admin.fields import IdPath
from efangtong_server.database import DbSession

router = APIRouter(prefix="/api/v1/admin/categories", tags=["系统设置：内容分类"], route_class=AdminRoute)
reference_router = APIRouter(prefix="/api/v1/reference", tags=["基础数据"], route_class=AdminRoute)


def _out(category: ContentCategory, children: list[ContentCategory] | None = None) -> CategoryOut:
    return CategoryOut(
        id=category.id,
        code=category.code,
        name=category.name,
        parent_id=category.parent_id,
        sort_order=category.sort_order,
        active=category.active,
        children=[_out(child) for child in children or []],
    )


@router.get("", summary="内容分类（树形）")
def list_categories(
    access: AdminAccess,
    session: DbSession,
    include_inactive: Annotated[bool, Query(description="是否包括已停用的分类")] = True,
) -> list[CategoryOut]:
    """First-level categories with their second-level children."""
    tree = service.category_tree(session, include_inactive=include_inactive)
    return [_out(top, children) for top, children in tree]


@router.get("/{category_id}", summary="内容分类详情")
def get_category(category_id: IdPath, access: AdminAccess, session: DbSession) -> CategoryOut:
    """One category (without its children)."""
    return _out(service.get_category(session, category_id=category_id))


@router.post("", status_code=status.HTTP_201_CREATED, summary="新增内容分类")
def create_category(body: CategoryCreate, request: Request, access: AdminAccess, session: DbSession) -> CategoryOut:
    """Create a first-level category, or a second-level one under a first-level parent."""
    return _out(service.create_category(session, actor=actor_of(access, request), values=body.model_dump()))


@router.patch("/{category_id}", summary="修改内容分类")
def update_category(
    category_id: IdPath, body: CategoryUpdate, request: Request, access: AdminAccess, session: DbSession
) -> CategoryOut:
    """Change a category's name or sort order."""
    values = body.model_dump(exclude_unset=True)
    actor = actor_of(access, request)
    return _out(service.update_category(session, actor=actor, category_id=category_id, values=values))


@router.post("/{category_id}/deactivate", summary="停用内容分类")
def deactivate_category(category_id: IdPath, request: Request, access: AdminAccess, session: DbSession) -> CategoryOut:
    """Deactivate a category (a first-level one only after its children)."""
    actor = actor_of(access, request)
    return _out(service.set_category_active(session, actor=actor, category_id=category_id, active=False))


@router.post("/{category_id}/reactivate", summary="启用内容分类")
def reactivate_category(category_id: IdPath, request: Request, access: AdminAccess, session: DbSession) -> CategoryOut:
    """Reactivate a category (a second-level one only under an active parent)."""
    actor = actor_of(access, request)
    return _out(service.set_category_active(session, actor=actor, category_id=category_id, active=True))


@reference_router.get("/categories", summary="内容分类（基础数据）")
def reference_categories(access: ReferenceAccess, session: DbSession) -> list[CategoryOut]:
    """The active categories as a two-level tree, for every signed-in client."""
    return [_out(top, children) for top, children in service.category_tree(session, include_inactive=False)]
