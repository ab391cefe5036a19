"""Store a SQLite database at the current head revision, with a few rows, under tests/data/schemas/<revision>.sqlite.

Run it once after adding an Alembic revision (and before releasing it): tests/core/test_migrations.py copies every
stored file and upgrades it to head, so each released schema version stays migratable. Stored files are history:
an existing file is never overwritten unless --force is given.

    .venv/bin/python scripts/store_schema_snapshot.py [--force]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from efangtong_core import models  # noqa: E402
from efangtong_core.db import head_revision, open_database, session_factory  # noqa: E402

SNAPSHOT_DIR = ROOT / "tests" / "data" / "schemas"
WHEN = datetime(2026, 3, 5, 1, 30, tzinfo=UTC)


def sample_rows() -> list[models.Base]:
    """A small, fixed set of rows touching the main tables (fixed ids so that the file is reproducible)."""
    bureau = models.OrgUnit(id="10000000-0000-4000-8000-000000000001", name="伊金霍洛旗信访局", kind="bureau")
    town = models.OrgUnit(
        id="10000000-0000-4000-8000-000000000002",
        name="札萨克镇",
        kind="town",
        division_code="150627101",
        parent=bureau,
    )
    clerk = models.User(
        id="20000000-0000-4000-8000-000000000001", username="clerk", display_name="登记员", org_unit=bureau
    )
    grant = models.RoleGrant(id="20000000-0000-4000-8000-000000000002", user=clerk, role="clerk", scope_unit=bureau)
    category = models.ContentCategory(id="30000000-0000-4000-8000-000000000001", code="01", name="农村农业")
    person = models.Petitioner(
        id="40000000-0000-4000-8000-000000000001",
        id_number="150627198807150017",
        name="巴特尔",
        name_initials="bte",
        sex="male",
        nation="蒙古",
        birth_date=date(1988, 7, 15),
        phones=[models.PetitionerPhone(id="40000000-0000-4000-8000-000000000002", phone="13904770001")],
    )
    petition = models.Petition(
        id="50000000-0000-4000-8000-000000000001",
        query_code="SNAP0001",
        form="visit",
        purpose="request",
        category=category,
        town_id=town.id,
        head_count=6,
        content="反映土地承包经营权纠纷。",
        registering_unit=bureau,
        registered_at=WHEN,
        registered_by=clerk,
        petitioner=person,
        state="registered",
        representatives=[
            models.PetitionRepresentative(id="50000000-0000-4000-8000-000000000002", petitioner=person, position=1)
        ],
        events=[
            models.CaseEvent(
                id="50000000-0000-4000-8000-000000000003", type="registered", at=WHEN, seq=1, payload={"备注": "首次"}
            )
        ],
    )
    return [
        bureau,
        town,
        clerk,
        grant,
        category,
        person,
        petition,
        models.Attachment(
            id="60000000-0000-4000-8000-000000000001",
            sha256="0" * 64,
            size=3,
            mime="image/jpeg",
            kind="image",
            petition_id=petition.id,
        ),
        models.Holiday(id="70000000-0000-4000-8000-000000000001", day=date(2026, 10, 1), kind="holiday", name="国庆节"),
        models.DeadlineRule(
            id="70000000-0000-4000-8000-000000000002",
            code="handling",
            name="办理期限",
            article="《信访工作条例》第三十五条",
            days=60,
            day_kind="calendar",
            starts_at="accepted",
        ),
        models.AuditLog(at=WHEN, action="read", entity="petitioner", entity_id=person.id, details={}),
    ]


def build_snapshot(path: Path) -> str:
    """Write a database at the head revision with the sample rows to `path`; return the revision."""
    with tempfile.TemporaryDirectory() as work:
        database = Path(work) / "snapshot.sqlite"
        engine = open_database(f"sqlite:///{database}")
        with session_factory(engine)() as session:
            session.add_all(sample_rows())
            session.commit()
        engine.dispose()
        # One self-contained file: fold the WAL back in and switch the journal off WAL before storing.
        with sqlite3.connect(database) as connection:
            connection.execute("PRAGMA journal_mode=DELETE")
        connection.close()
        with sqlite3.connect(database) as connection:
            connection.execute("PRAGMA page_size=1024")  # smallest pages: the file is mostly empty tables and indexes
            connection.execute("VACUUM")
        connection.close()
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(database, path)
    return head_revision()


def main(argv: list[str] | None = None) -> int:
    """Store the snapshot of the current head revision."""
    parser = argparse.ArgumentParser(description="保存当前数据库版本的样本文件（供迁移测试使用）")
    parser.add_argument("--force", action="store_true", help="覆盖已存在的样本文件")
    args = parser.parse_args(argv)
    target = SNAPSHOT_DIR / f"{head_revision()}.sqlite"
    if target.exists() and not args.force:
        print(f"{target.relative_to(ROOT)} 已存在（已发布版本的样本不应改动）；确需覆盖请加 --force。")
        return 1
    revision = build_snapshot(target)
    print(f"已保存 {target.relative_to(ROOT)}（版本 {revision}）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
