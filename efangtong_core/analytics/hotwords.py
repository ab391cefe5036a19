"""Hot words of the period (热词): jieba word segmentation, weighted by document frequency × inverse document frequency.

Method: the texts (title and content) of the most recent `SAMPLE` petitions of the period, within the filters and the
scope, are segmented with jieba (a dictionary-and-HMM Chinese segmenter, so words such as 征地补偿 or 拖欠工资 stay
whole, unlike character bigrams which split and join across word boundaries). A word's weight is the number of
sampled petitions containing it times its IDF from jieba's general-corpus table (rare words weigh more than common
ones); one-character words, numbers and the boilerplate of petition writing (the stop list) are left out. Weights are
scaled so that the first word has 1.0. Counting documents rather than occurrences keeps one long letter from
dominating. The sample bounds the cost (segmentation runs in Python) at a few hundred milliseconds, and each text's
words are remembered, so a refresh that sees mostly the same petitions segments only the new ones.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from efangtong_core.analytics.query import Reference, registered_in
from efangtong_core.analytics.snapshot import HotWord, Period
from efangtong_core.models import Petition

SAMPLE = 400
TOP_WORDS = 30
_CJK = re.compile(r"[\u4e00-\u9fff]")
STOP_WORDS = frozenset(
    {
        "信访",
        "恳请",
        "盼复",
        "家住",
        "信访人",
        "反映",
        "要求",
        "问题",
        "情况",
        "有关",
        "相关",
        "部门",
        "单位",
        "政府",
        "我们",
        "他们",
        "自己",
        "本人",
        "目前",
        "现在",
        "已经",
        "没有",
        "一直",
        "多次",
        "至今",
        "希望",
        "请求",
        "请求解决",
        "解决",
        "处理",
        "协调",
        "尽快",
        "予以",
        "给予",
        "进行",
        "表示",
        "认为",
        "但是",
        "因为",
        "所以",
        "如果",
        "可以",
        "能够",
        "这个",
        "那个",
        "一个",
        "以及",
        "并且",
        "而且",
        "还是",
        "或者",
        "由于",
        "对于",
        "关于",
        "其中",
        "时间",
        "今年",
        "去年",
        "年月日",
        "此事",
        "该事",
        "此事项",
        "事项",
        "领导",
        "同志",
        "工作",
        "答复",
        "意见",
        "办理",
        "依法",
        "按照",
        "根据",
        "规定",
        "政策",
        "落实",
        "调查",
        "核实",
        "了解",
        "经过",
        "期间",
        "之后",
        "以来",
        "以上",
        "以下",
        "左右",
    }
)
_lock = threading.Lock()
_tfidf: Any = None
_added: set[str] = set()
WORDS_CACHE_SIZE = 20_000
"""Texts whose segmentation is remembered (a few samples' worth); the cache starts over when full."""
_words_of: dict[str, frozenset[str]] = {}


def _jieba() -> Any:
    """The jieba TF-IDF helper, loaded once (the dictionary takes about a second the first time)."""
    global _tfidf
    with _lock:
        if _tfidf is None:
            import jieba
            import jieba.analyse

            jieba.setLogLevel(60)
            _tfidf = jieba.analyse.default_tfidf
        return _tfidf


def _document_words(tfidf: Any, text: str) -> frozenset[str]:
    """The distinct counted words of one text, remembered: a refresh every minute sees mostly the same petitions."""
    found = _words_of.get(text)
    if found is None:
        cut = tfidf.tokenizer.cut(text)
        found = frozenset(w for w in cut if len(w) >= 2 and _CJK.search(w) and w not in STOP_WORDS)
        with _lock:
            if len(_words_of) >= WORDS_CACHE_SIZE:
                _words_of.clear()
            _words_of[text] = found
    return found


def keywords(texts: list[str], *, top: int = TOP_WORDS, names: Iterable[str] = ()) -> tuple[HotWord, ...]:
    """The `top` keywords of `texts` by document frequency × IDF; `names` (places, units) are kept whole."""
    if not texts:
        return ()
    tfidf = _jieba()
    with _lock:
        for name in names:
            if name not in _added:
                tfidf.tokenizer.add_word(name)
                _added.add(name)
                _words_of.clear()  # a new whole word changes how texts segment
    documents: Counter[str] = Counter()
    for text in texts:
        documents.update(_document_words(tfidf, text))
    idf: dict[str, float] = tfidf.idf_freq
    median: float = tfidf.median_idf
    scored = sorted(((df * idf.get(w, median), df, w) for w, df in documents.items()), key=lambda s: (-s[0], s[2]))
    best = scored[0][0] if scored else 1.0
    return tuple(HotWord(word, round(score / best, 4), df) for score, df, word in scored[:top])


def hot_words(
    session: Session, period: Period, conditions: list[ColumnElement[bool]], ref: Reference
) -> tuple[HotWord, ...]:
    """Hot words of the most recent petitions registered in `period` (newest first along the registered_at index)."""
    rows = session.execute(
        select(Petition.title, Petition.content)
        .where(*conditions, *registered_in(period))
        .order_by(Petition.registered_at.desc())
        .limit(SAMPLE)
    ).all()
    names = [*ref.unit_name.values(), *ref.category_name.values()]
    return keywords([f"{title or ''}\n{content or ''}" for title, content in rows], names=names)
