"""Content similarity of Chinese petition texts: weighted character bigrams compared by cosine.

Why character bigrams and not word segmentation (jieba): what tells one matter from another in a petition is mostly
proper nouns — a 嘎查 or compound name, a company, a mine, an amount — which a general-purpose dictionary segments
badly, while bigrams catch them without any dictionary, model or extra dependency, on the counter PC as on the server.
Synonym swaps (补偿款/补助款) still share most bigrams of the sentence around them.

Why cosine over a weighted bigram set and not MinHash: the candidate sets are small (one person's petitions, or one
town's petitions of one category in a time window), so the exact measure costs less than a millisecond per pair and
needs no signature column. Weights are a static inverse-document-frequency stand-in: the bigrams of the petition
boilerplate every text shares (反映, 要求, 解决, 群众, 尽快…) count little, digits count as one token per number.
Added or removed sentences lower the cosine only in proportion to their length, so a paraphrased repeat keeps a high
score while another matter of the same template, which differs exactly in the names and figures, scores lower.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+|[0-9]+(?:\.[0-9]+)?|[a-z]+")
"""A run of Chinese characters, a number, or a Latin word (after lower-casing)."""

BOILERPLATE_PHRASES = (
    "本人系居民我家住我是的群众现反映如下问题我们名群众推选代表反映联名反映集体反映均系"
    "此事我已于年月反映过关于此事曾到信访部门反映已就此问题信访我再次反映此前反映过的问题"
    "至今仍未解决但处理结果没有落实有关部门答复后一直没有下文对处理结果我不满意"
    "请求有关部门尽快协调解决恳请领导重视督促相关单位依法依规处理希望政府帮助解决实际困难"
    "对此前的处理结果不服请求重新调查核实认为原处理认定事实不清请求依法予以纠正"
    "请求有关部门调查核实依法依规严肃处理以上情况属实请求查处相关责任人"
    "建议有关部门加强监管完善相关制度希望相关部门重视此类问题从源头上加以解决"
    "想咨询此类问题应找哪个部门依据什么政策处理请问相关政策是如何规定的请予答复"
    "特此反映请予关注望有关部门了解情况望早日答复盼复恳请尽快处理谢谢"
    "多次要求一直未果无人过问严重影响生活要求给予说法"
)
"""Phrases every kind of petition uses (openings, repeat formulas, closings); their bigrams weigh little."""

BOILERPLATE_WEIGHT = 0.15
"""Weight of a bigram of the boilerplate phrases; every other bigram weighs 1."""
NUMBER_WEIGHT = 1.5
"""Weight of a whole number (amount, year, count): figures tell matters of the same template apart."""


@lru_cache(maxsize=1)
def _boilerplate_bigrams() -> frozenset[str]:
    return frozenset(BOILERPLATE_PHRASES[i : i + 2] for i in range(len(BOILERPLATE_PHRASES) - 1))


def normalise(text: str) -> str:
    """The text in NFKC form (full-width digits and letters become ASCII), lower-cased."""
    return unicodedata.normalize("NFKC", text or "").lower()


def tokens(text: str) -> list[str]:
    """The comparison tokens of `text`: bigrams of each Chinese run (a lone character alone), numbers, words."""
    found: list[str] = []
    for run in _RUN.findall(normalise(text)):
        if not ("\u3400" <= run[0] <= "\u9fff") or len(run) == 1:
            found.append(run)
        else:
            found.extend(run[i : i + 2] for i in range(len(run) - 1))
    return found


def _weight(token: str) -> float:
    if token[0].isdigit():
        return NUMBER_WEIGHT
    return BOILERPLATE_WEIGHT if token in _boilerplate_bigrams() else 1.0


@dataclass(frozen=True, slots=True)
class TextVector:
    """A text's weighted token set and its Euclidean norm, computed once and compared many times."""

    weights: Mapping[str, float]
    norm: float

    @property
    def empty(self) -> bool:
        """True when the text had nothing to compare (blank, punctuation only)."""
        return self.norm == 0.0


def vectorise(text: str) -> TextVector:
    """The weighted token set of `text` (each distinct token once: repetition says little in a petition)."""
    weights = {token: _weight(token) for token in set(tokens(text))}
    return TextVector(weights=weights, norm=math.sqrt(sum(w * w for w in weights.values())))


def cosine(left: TextVector, right: TextVector) -> float:
    """Cosine similarity of two text vectors, 0.0 (nothing shared) to 1.0 (same weighted tokens)."""
    if left.empty or right.empty:
        return 0.0
    small, large = (left, right) if len(left.weights) <= len(right.weights) else (right, left)
    dot = sum(weight * large.weights.get(token, 0.0) for token, weight in small.weights.items())
    return min(1.0, dot / (left.norm * right.norm))


def similarity(left: str, right: str) -> float:
    """Content similarity of two texts, 0.0 to 1.0."""
    return cosine(vectorise(left), vectorise(right))


def rank_by_similarity(query: str, texts: Iterable[tuple[str, str]]) -> list[tuple[str, float]]:
    """(key, similarity) of each (key, text) pair against `query`, most similar first (ties keep input order)."""
    query_vector = vectorise(query)
    scored = [(key, cosine(query_vector, vectorise(text))) for key, text in texts]
    return sorted(scored, key=lambda pair: -pair[1])
