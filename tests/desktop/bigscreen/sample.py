"""A hand-made big-screen snapshot for widget tests."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

from efangtong_desktop.bigscreen.figures import ScreenData

TOWN_COUNTS = (
    ("阿勒腾席热镇", 420),
    ("札萨克镇", 95),
    ("乌兰木伦镇", 260),
    ("纳林陶亥镇", 130),
    ("苏布尔嘎镇", 40),
    ("红庆河镇", 310),
    ("伊金霍洛镇", 180),
)


def sample_data(*, batches: int = 1435, offline: bool = True) -> ScreenData:
    """A plausible month of figures."""
    start = date(2026, 10, 27)
    return ScreenData(
        as_of=datetime(2026, 11, 25, 17, 42),
        period_start=start,
        period_end=date(2026, 11, 25),
        batches=batches,
        persons=2210,
        timely_acceptance=0.9612,
        on_time_closure=0.874,
        satisfaction=0.9,
        overdue=12,
        warnings=None,
        trend=tuple((start + timedelta(days=day), 30 + (day * 7) % 25) for day in range(30)),
        categories=(("征地拆迁", 310), ("劳动社保", 240), ("城乡建设", 180), ("农村农业", 150), ("教育", 60)),
        towns=TOWN_COUNTS,
        hot_words=(("征地补偿", 9.0), ("拖欠工资", 7.5), ("宅基地", 5.0), ("煤矿塌陷", 4.0), ("低保", 2.0)),
        offline=offline,
        elapsed_ms=12.0,
        worker_thread=threading.current_thread().name,
    )
