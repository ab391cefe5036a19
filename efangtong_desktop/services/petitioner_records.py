"""The 信访人 page's UI-free service: search, profile (recording the view), contact edits, analytics, xlsx export.

Every method opens its own session on the replica (they run on worker threads, see `efangtong_desktop.tasks`).
Writes go through the context's outbox-capturing sessions, so a contact edit syncs (last-writer-wins) and every
profile view leaves an access-log row that the server audits when it arrives, also after working offline.
ID numbers and phones are masked (`efangtong_core.masking`) unless the signed-in user's roles need them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from efangtong_core.masking import mask_id_number, mask_phone
from efangtong_core.models import ACCESS_EXPORT, ORIGIN_KEY
from efangtong_core.petitioner_analytics import GroupCount, PetitionerAnalytics, petitioner_analytics
from efangtong_core.petitioner_contacts import record_access, save_contacts, validated_contacts
from efangtong_core.petitioner_records import (
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    PetitionerSummary,
    PhoneEntry,
    Profile,
    RecordsError,
    SearchPage,
    load_profile,
    search_petitioners,
)

EXPORT_LIMIT = 50_000
"""Most rows one list export writes."""

LIST_HEADERS = ("姓名", "性别", "证件号码", "联系电话", "住址", "信访次数", "最近信访", "标签")
TOP_HEADERS = ("姓名", "证件号码", "近 12 个月信访次数", "最近信访", "标签")
GROUP_HEADERS = ("人数", "件数")


if TYPE_CHECKING:
    from openpyxl import Workbook


def _new_workbook() -> Workbook:
    """An empty workbook (openpyxl is imported on the first export, not at start-up)."""
    from openpyxl import Workbook

    return Workbook()


@dataclass(frozen=True)
class Viewer:
    """Who uses the page: recorded on access-log rows; `unmasked` when their roles need full ID numbers and phones."""

    user_id: str | None
    username: str | None
    unmasked: bool
    device: str | None = None


def _stamp(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else ""


class PetitionerRecordsService:
    """Reads and writes of the petitioner records on the local replica."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        viewer: Viewer,
        *,
        online: Callable[[], bool] = lambda: False,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.sessions = sessions
        self.viewer = viewer
        self.online = online
        self.clock = clock

    def _session(self) -> Session:
        session = self.sessions()
        if self.viewer.device:
            session.info[ORIGIN_KEY] = self.viewer.device
        return session

    # -- masking ----------------------------------------------------------------------------------------------------

    def id_number(self, number: str | None) -> str:
        """An ID number as this viewer may see it."""
        return (number or "") if self.viewer.unmasked else mask_id_number(number)

    def phone(self, number: str | None) -> str:
        """A phone number as this viewer may see it."""
        return (number or "") if self.viewer.unmasked else mask_phone(number)

    def _masked_summary(self, item: PetitionerSummary) -> PetitionerSummary:
        return replace(item, id_number=self.id_number(item.id_number), phone=self.phone(item.phone))

    # -- reading ----------------------------------------------------------------------------------------------------

    def search(self, text: str, page: int = 0, page_size: int = PAGE_SIZE) -> SearchPage:
        """A page of petitioners matching `text`, masked for this viewer."""
        with self._session() as session:
            found = search_petitioners(session, text, now=self.clock(), page=page, page_size=page_size)
        return replace(found, items=tuple(self._masked_summary(item) for item in found.items))

    def open_profile(self, petitioner_id: str) -> Profile:
        """The profile, masked for this viewer; the view is recorded in the access log in the same transaction."""
        with self._session() as session:
            profile = load_profile(session, petitioner_id, now=self.clock())
            if profile is None:
                raise RecordsError("该信访人不存在或已删除")
            record_access(
                session,
                petitioner_id=petitioner_id,
                user_id=self.viewer.user_id,
                username=self.viewer.username,
                online=self.online(),
                at=self.clock(),
            )
            session.commit()
        if self.viewer.unmasked:
            return profile
        phones = tuple(PhoneEntry(p.id, self.phone(p.phone), p.label) for p in profile.phones)
        return replace(profile, id_number=self.id_number(profile.id_number), phones=phones)

    def analytics(self) -> PetitionerAnalytics:
        """The analytics figures as of now."""
        with self._session() as session:
            return petitioner_analytics(session, self.clock())

    # -- writing ----------------------------------------------------------------------------------------------------

    def save_contacts(self, petitioner_id: str, phones: list[str], address: str, note: str) -> bool:
        """Check and save the contact details in one transaction (with their outbox entries); False if unchanged."""
        if not self.viewer.unmasked:
            raise RecordsError("当前角色不能查看完整联系方式，不能修改")
        contacts = validated_contacts(phones, address, note)
        with self._session() as session:
            changed = save_contacts(session, petitioner_id, contacts)
            if changed:
                session.commit()
            return changed

    # -- export -----------------------------------------------------------------------------------------------------

    def export_list(self, text: str, path: Path) -> int:
        """Write every petitioner matching `text` (at most EXPORT_LIMIT) to an xlsx file, masked; returns the rows."""
        book = _new_workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "信访人"
        sheet.append(LIST_HEADERS)
        written, page = 0, 0
        while written < EXPORT_LIMIT:
            found = self.search(text, page=page, page_size=MAX_PAGE_SIZE)
            for item in found.items:
                tags = "、".join(tag.label for tag in item.tags)
                identity = (item.name, item.sex, item.id_number or "", item.phone or "", item.address or "")
                sheet.append((*identity, item.petition_count, _stamp(item.last_petition_at), tags))
            written += len(found.items)
            page += 1
            if page >= found.page_count:
                break
        self._save(book, path)
        self._record_export({"kind": "list", "query": text, "rows": written})
        return written

    def export_analytics(self, figures: PetitionerAnalytics, path: Path) -> None:
        """Write the analytics figures to an xlsx file, one sheet per table, ID numbers masked for this viewer."""
        book = _new_workbook()
        top = book.active
        assert top is not None
        top.title = "重复信访人"
        top.append(TOP_HEADERS)
        for row in figures.top:
            tags = "、".join(tag.label for tag in row.tags)
            top.append((row.name, self.id_number(row.id_number), row.petitions, _stamp(row.last_petition_at), tags))
        self._group_sheet(book, "按镇", "镇", figures.by_town)
        self._group_sheet(book, "按类别", "内容分类", figures.by_category)
        self._group_sheet(book, "月度趋势", "月份", figures.trend)
        self._save(book, path)
        self._record_export({"kind": "analytics", "rows": len(figures.top)})

    @staticmethod
    def _group_sheet(book: Workbook, title: str, key: str, groups: tuple[GroupCount, ...]) -> None:
        sheet = book.create_sheet(title)
        sheet.append((key, *GROUP_HEADERS))
        for group in groups:
            sheet.append((group.label, group.people, group.petitions))

    @staticmethod
    def _save(book: Workbook, path: Path) -> None:
        # Written next to the target and renamed, so a crash never leaves a half-written file under the chosen name.
        partial = path.with_name(path.name + ".part")
        try:
            book.save(partial)
            partial.replace(path)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise RecordsError(f"无法保存文件 {path}：{error.strerror or error}") from error

    def _record_export(self, details: dict[str, object]) -> None:
        with self._session() as session:
            record_access(
                session,
                petitioner_id=None,
                user_id=self.viewer.user_id,
                username=self.viewer.username,
                online=self.online(),
                action=ACCESS_EXPORT,
                details={**details, "masked": not self.viewer.unmasked},
                at=self.clock(),
            )
            session.commit()
