"""Benchmark: repeat recognition — precision/recall on paraphrased repeats, latency over 1,000,000 petitions.

1. Quality, on a labelled set built here: people with a few earlier petitions on different matters (some of the same
   category and template — the hard negatives); each then comes again either with a paraphrase of one earlier matter
   (synonym swaps, reordered sentences, sentences added and removed) or with a new matter. The prediction is the top
   candidate of `repeat_candidates` when it reaches `LIKELY_REPEAT`. Same for `find_same_matter`: groups of people
   raising one matter in their own words among other matters of the same town and category.
2. Latency: `person_history`, `repeat_candidates` and `find_same_matter` over a SQLite file with N petitions
   (default 1,000,000; built once and cached under /tmp/eft-repeats-bench), p50 and p95 of many queries.

    .venv/bin/python benchmarks/repeats.py [--petitions 1000000] [--queries 300] [--people 600]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from efangtong_core.db import open_database, session_factory
from efangtong_core.demo.texts import Matter, categories_with_templates, new_matter, petition_text
from efangtong_core.idnumber import check_character
from efangtong_core.models import ContentCategory, OrgUnit, Petition, Petitioner
from efangtong_core.repeats import LIKELY_REPEAT, find_same_matter, person_history, repeat_candidates
from efangtong_core.vocabulary import OrgUnitKind, PetitionPurpose

CACHE_DIR = Path("/tmp/eft-repeats-bench")
TOWNS = ("阿勒腾席热镇", "札萨克镇", "乌兰木伦镇", "纳林陶亥镇", "苏布尔嘎镇", "红庆河镇", "伊金霍洛镇")
VILLAGES = ("门克庆嘎查", "布尔台格村", "新街社区", "哈巴格希村", "公尼召嘎查", "掌岗图村", "神山社区", "乌兰什里嘎查")
SYNONYMS = (
    ("补偿款", "补助款"),
    ("拖欠", "欠着"),
    ("工资", "工钱"),
    ("多次", "好几次"),
    ("至今", "到现在"),
    ("尽快", "抓紧"),
    ("有关部门", "相关部门"),
    ("解决", "处理"),
    ("房屋", "房子"),
    ("要求", "请求"),
    ("反映", "反应"),
    ("发放", "发给"),
    ("未", "没有"),
    ("公司", "企业"),
    ("问题", "情况"),
    ("我家", "我们家"),
)
FILLERS = (
    "我家里生活非常困难。",
    "此事已经拖了很久。",
    "家里老人常年生病，急需用钱。",
    "为此我跑了很多趟。",
    "我们都是老实本分的农牧民。",
    "请领导一定帮帮我们。",
    "相关材料我都保存着。",
)
START = datetime(2023, 12, 1, tzinfo=UTC)
DAYS = 3 * 365


def paraphrase(rng: random.Random, text: str) -> str:
    """A human-like rewording: synonym swaps, sentences reordered, one dropped, one or two added."""
    for word, other in SYNONYMS:
        if word in text and rng.random() < 0.6:
            text = text.replace(word, other)
    sentences = [s + "。" for s in text.replace("！", "。").replace("？", "。").split("。") if s]
    if len(sentences) > 2 and rng.random() < 0.5:
        sentences.pop(rng.randrange(len(sentences)))
    if len(sentences) > 2:
        middle = sentences[1:-1]
        rng.shuffle(middle)
        sentences = [sentences[0], *middle, sentences[-1]]
    for _ in range(rng.randint(1, 2)):
        sentences.insert(rng.randint(0, len(sentences)), rng.choice(FILLERS))
    return "".join(sentences)


def id_number(serial: int) -> str:
    """A valid ID number of 伊金霍洛旗 for a serial (birth date and sequence spread over the serial)."""
    born = date(1950, 1, 1) + timedelta(days=serial % 20000)
    first17 = f"150627{born:%Y%m%d}{serial // 20000 % 1000:03d}"
    return first17 + check_character(first17)


class Builder:
    """Writes org units, categories, petitioners and petitions with Core inserts in batches."""

    def __init__(self, engine: Engine, rng: random.Random) -> None:
        self.engine = engine
        self.rng = rng
        self.petitioners: list[dict[str, object]] = []
        self.petitions: list[dict[str, object]] = []
        self.count = 0
        with session_factory(engine)() as session:
            bureau = OrgUnit(name="伊金霍洛旗信访局", kind=OrgUnitKind.BUREAU)
            towns = [OrgUnit(name=name, kind=OrgUnitKind.TOWN) for name in TOWNS]
            codes = sorted(categories_with_templates())
            categories = [ContentCategory(code=code, name=code) for code in codes]
            session.add_all([bureau, *towns, *categories])
            session.commit()
            self.bureau_id = bureau.id
            self.towns = [(t.id, t.name) for t in towns]
            self.categories = {c.code: c.id for c in categories}

    def person(self, serial: int) -> str:
        """Queue a petitioner; returns its id."""
        row = {"id": f"p-{serial:08d}", "name": f"信访人{serial}", "id_number": id_number(serial)}
        self.petitioners.append(row)
        return str(row["id"])

    def petition(self, petitioner_id: str, town: tuple[str, str], matter: Matter, content: str, at: datetime) -> str:
        """Queue a petition; returns its id."""
        self.count += 1
        row = {
            "id": f"q-{self.count:09d}",
            "query_code": f"B{self.count:09d}",
            "form": "visit",
            "purpose": "request",
            "category_id": self.categories[matter.category_code],
            "town_id": town[0],
            "content": content,
            "title": matter.summary,
            "registering_unit_id": self.bureau_id,
            "registered_at": at,
            "petitioner_id": petitioner_id,
            "state": self.rng.choice(("registered", "in_progress", "closed", "closed", "replied")),
        }
        self.petitions.append(row)
        if len(self.petitions) >= 20000:
            self.flush()
        return str(row["id"])

    def flush(self) -> None:
        """Write the queued rows."""
        with self.engine.begin() as connection:
            if self.petitioners:
                connection.execute(insert(Petitioner.__table__), self.petitioners)
            if self.petitions:
                connection.execute(insert(Petition.__table__), self.petitions)
        self.petitioners, self.petitions = [], []

    def matter(self, town: tuple[str, str], at: datetime, code: str | None = None) -> Matter:
        """A new matter in `town`."""
        code = code or self.rng.choice(sorted(self.categories))
        return new_matter(self.rng, code, town[1], self.rng.choice(VILLAGES), at.date())


def build_corpus(engine: Engine, petitions: int, seed: int) -> None:
    """N petitions by people who come 1–5 times, often again about the same matter."""
    rng = random.Random(seed)
    builder = Builder(engine, rng)
    serial = 0
    started = time.perf_counter()
    while builder.count < petitions:
        serial += 1
        person = builder.person(serial)
        town = rng.choice(builder.towns)
        at = START + timedelta(days=rng.uniform(0, DAYS))
        matter = builder.matter(town, at)
        earlier: date | None = None
        for _ in range(min(rng.choice((1, 1, 1, 2, 2, 3, 5)), petitions - builder.count)):
            if rng.random() < 0.3:
                matter, earlier = builder.matter(town, at), None
            purpose = rng.choice(list(PetitionPurpose))
            builder.petition(person, town, matter, petition_text(rng, matter, purpose=purpose, earlier=earlier), at)
            earlier, at = at.date(), at + timedelta(days=rng.uniform(5, 120))
        if serial % 50000 == 0:
            print(f"  {builder.count:>9,} petitions  {time.perf_counter() - started:6.1f} s", flush=True)
    builder.flush()


def corpus_engine(petitions: int, seed: int) -> Engine:
    """The cached corpus database of `petitions` petitions, built on first use."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    path = CACHE_DIR / f"corpus-{petitions}-{seed}.sqlite"
    ready = path.with_suffix(".ready")
    if not ready.exists():
        path.unlink(missing_ok=True)
        print(f"building {petitions:,} petitions into {path} (cached for later runs)")
        engine = open_database(f"sqlite:///{path}")
        build_corpus(engine, petitions, seed)
        ready.write_text("ok")
        return engine
    return open_database(f"sqlite:///{path}")


def quality(people: int, seed: int) -> None:
    """Print precision and recall of repeat recognition and of the same-matter search on a labelled set."""
    rng = random.Random(seed)
    engine = open_database("sqlite://")
    builder = Builder(engine, rng)
    queries: list[tuple[str, str, str | None]] = []  # (id number, new text, id of the true original or None)
    for serial in range(1, people + 1):
        person, town = builder.person(serial), rng.choice(builder.towns)
        at = START + timedelta(days=rng.uniform(0, DAYS - 200))
        earlier: list[tuple[str, Matter]] = []
        shared_code = rng.choice(sorted(builder.categories))
        for index in range(rng.randint(1, 4)):
            code = shared_code if index < 2 else None  # two earlier matters of one category: a hard negative
            matter = builder.matter(town, at, code)
            purpose = rng.choice(list(PetitionPurpose))
            earlier.append(
                (builder.petition(person, town, matter, petition_text(rng, matter, purpose=purpose), at), matter)
            )
            at += timedelta(days=rng.uniform(5, 60))
        if rng.random() < 0.6:
            original, matter = rng.choice(earlier)
            text = paraphrase(rng, petition_text(rng, matter, purpose=PetitionPurpose.REQUEST, earlier=at.date()))
            queries.append((id_number(serial), text, original))
        else:
            matter = builder.matter(town, at, shared_code if rng.random() < 0.5 else None)
            queries.append((id_number(serial), petition_text(rng, matter, purpose=PetitionPurpose.REQUEST), None))
    groups: list[set[str]] = []
    for group_index in range(people // 10):
        town, code = rng.choice(builder.towns), rng.choice(sorted(builder.categories))
        at = START + timedelta(days=rng.uniform(0, DAYS - 200))
        matter = builder.matter(town, at, code)
        members = set()
        for member in range(rng.randint(2, 4)):
            serial = 10_000_000 + group_index * 10 + member
            text = paraphrase(rng, petition_text(rng, matter, purpose=PetitionPurpose.REQUEST))
            members.add(builder.petition(builder.person(serial), town, matter, text, at + timedelta(days=member * 9)))
        other = builder.matter(town, at, code)  # the same town and category, another matter, another person
        serial = 10_000_000 + group_index * 10 + 9
        builder.petition(
            builder.person(serial),
            town,
            other,
            petition_text(rng, other, purpose=PetitionPurpose.OTHER),
            at + timedelta(days=3),
        )
        groups.append(members)
    builder.flush()

    with session_factory(engine)() as session:
        true_positive = predicted = 0
        for number, text, original in queries:
            ranked = repeat_candidates(session, id_number=number, content=text)
            if ranked and ranked[0].similarity >= LIKELY_REPEAT:
                predicted += 1
                true_positive += ranked[0].petition.id == original
        actual = sum(1 for *_, original in queries if original)
        print(f"repeat recognition on {len(queries)} people ({actual} paraphrased repeats, threshold {LIKELY_REPEAT}):")
        print(f"  precision {true_positive / max(predicted, 1):.3f}   recall {true_positive / max(actual, 1):.3f}")
        found = relevant = right = 0
        for members in groups:
            for petition_id in members:
                hits = {hit.petition.id for hit in find_same_matter(session, petition_id).hits}
                found += len(hits)
                right += len(hits & members)
                relevant += len(members) - 1
        print(f"same matter by others on {len(groups)} groups of 2–4 people (plus another matter each):")
        print(f"  precision {right / max(found, 1):.3f}   recall {right / max(relevant, 1):.3f}")
    engine.dispose()


def _percentiles(label: str, timings: list[float]) -> None:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    print(f"  {label:<22} p50 {statistics.median(ordered) * 1000:7.2f} ms   p95 {p95 * 1000:7.2f} ms")


def latency(petitions: int, queries: int, seed: int) -> None:
    """Print p50/p95 of the candidate searches over the cached corpus."""
    engine = corpus_engine(petitions, seed)
    rng = random.Random(seed + 1)
    with session_factory(engine)() as session:
        total = session.scalar(select(func.count()).select_from(Petition))
        people = session.scalar(select(func.count()).select_from(Petitioner)) or 1
        print(f"latency over {total:,} petitions of {people:,} people, {queries} queries each (goal: p95 ≤ 100 ms):")
        sample = [rng.randint(1, people) for _ in range(queries)]
        targets = {
            serial: session.execute(
                select(Petition.id, Petition.content).where(Petition.petitioner_id == f"p-{serial:08d}").limit(1)
            ).one()
            for serial in sample
        }
    runs: dict[str, Callable[[Session, int], object]] = {
        "person_history": lambda s, n: person_history(s, id_number(n)),
        "repeat_candidates": lambda s, n: repeat_candidates(
            s, id_number=id_number(n), content=paraphrase(random.Random(n), targets[n].content)
        ),
        "find_same_matter": lambda s, n: find_same_matter(s, targets[n].id),
    }
    for label, run in runs.items():
        timings = []
        with session_factory(engine)() as session:
            for serial in sample:
                started = time.perf_counter()
                run(session, serial)
                timings.append(time.perf_counter() - started)
        _percentiles(label, timings)
    engine.dispose()


def main(argv: list[str] | None = None) -> int:
    """Run both parts and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--petitions", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--people", type=int, default=600)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--skip-latency", action="store_true")
    args = parser.parse_args(argv)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    quality(args.people, args.seed)
    if not args.skip_latency:
        latency(args.petitions, args.queries, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
