"""How alike two task texts are: the text similarity the suggestions and the continuity links use.

Two well-kept methods for Chinese, both over the tasks' matching form (simplified characters,
half-width punctuation, as :func:`dutygraph.loaders.repair.fold` gives and the store keeps in
``Task.match_text``):

* ``"char"`` — **character n-gram TF-IDF** (bigrams and trigrams by default) with sublinear term
  frequency and cosine similarity.  It needs no segmenter, so it is indifferent to new names
  (浙政钉, 浙里办, 141体系) that a dictionary does not know;
* ``"bm25"`` — **BM25 over jieba's words** (k1 = 1.5, b = 0.75), scores divided by the query's
  score against itself so that they fall in [0, 1] like the cosine's.

Which one the suggestions use was chosen by measurement (``benchmarks/bench_suggestions.py``,
docs/suggestions.md): :data:`DEFAULT_METHOD`.

Runs of non-word characters (punctuation, spaces, digits standing alone) split the text, so
that no n-gram straddles a clause boundary.

>>> index = TextIndex.build({"a": "建设统一的数字档案系统", "b": "完善数字档案管理", "c": "深化雪亮工程建设"})
>>> [doc for doc, _ in index.nearest("建设数字档案系统", 2)]
['a', 'b']
>>> round(index.similarity("建设统一的数字档案系统", "a"), 3)
1.0
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

METHODS = ("char", "bm25")
#: The method the suggestions and continuity use (measured: docs/suggestions.md).
DEFAULT_METHOD = "char"

BM25_K1, BM25_B = 1.5, 0.75

# Han characters and Latin letters / digits inside words; anything else separates runs.
_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaffA-Za-z0-9]+")


def runs(text: str) -> list[str]:
    """The runs of word characters of ``text``.

    >>> runs("加快“浙政钉”建设,6月底前完成。")
    ['加快', '浙政钉', '建设', '6月底前完成']
    """
    return _RUN.findall(text)


def char_ngrams(text: str, sizes: tuple[int, ...] = (2, 3)) -> list[str]:
    """Character n-grams of each run (a run shorter than n gives itself once, for the smallest n).

    >>> char_ngrams("数字档案", (2,))
    ['数字', '字档', '档案']
    """
    grams: list[str] = []
    smallest = min(sizes)
    for run in runs(text):
        if len(run) < smallest:
            grams.append(run)
            continue
        for n in sizes:
            grams.extend(run[i : i + n] for i in range(len(run) - n + 1))
    return grams


_jieba_cut: Callable[[str], Iterable[str]] | None = None


def jieba_words(text: str) -> list[str]:
    """jieba's words of each run (single characters dropped: 的, 和, 等 carry no topic)."""
    global _jieba_cut
    if _jieba_cut is None:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)  # it announces building its prefix dictionary on stderr
        _jieba_cut = jieba.lcut
    return [w for run in runs(text) for w in _jieba_cut(run) if len(w) > 1]


@dataclass(slots=True)
class TextIndex:
    """A searchable set of texts (by key), with one of :data:`METHODS`.

    ``nearest(text, k)`` gives the ``k`` most similar keys with their scores in [0, 1];
    ``similarity(text, key)`` one score.  Built once, queried many times."""

    method: str
    keys: list[str]
    vocabulary: dict[str, int]
    matrix: sparse.csr_matrix  # documents × terms: TF-IDF rows (l2-normalised) or BM25 term weights
    idf: np.ndarray
    tokenise: Callable[[str], list[str]] = field(repr=False)

    @classmethod
    def build(
        cls, texts: Mapping[str, str], method: str = DEFAULT_METHOD, ngrams: tuple[int, ...] = (2, 3)
    ) -> TextIndex:
        if method not in METHODS:
            raise ValueError(f"similarity method must be one of {', '.join(METHODS)}, not {method!r}")
        tokenise: Callable[[str], list[str]]
        if method == "char":

            def tokenise(text: str) -> list[str]:
                return char_ngrams(text, ngrams)

        else:
            tokenise = jieba_words
        keys = list(texts)
        counts = [Counter(tokenise(texts[k])) for k in keys]
        vocabulary: dict[str, int] = {}
        for c in counts:
            for term in c:
                vocabulary.setdefault(term, len(vocabulary))
        n = len(keys)
        df = np.zeros(len(vocabulary))
        for c in counts:
            for term in c:
                df[vocabulary[term]] += 1
        rows, cols, vals = [], [], []
        if method == "char":
            idf = np.log((1 + n) / (1 + df)) + 1.0  # smoothed, as scikit-learn's TfidfVectorizer
            for i, c in enumerate(counts):
                weights = {vocabulary[t]: (1 + math.log(f)) * idf[vocabulary[t]] for t, f in c.items()}
                norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
                for j, w in weights.items():
                    rows.append(i)
                    cols.append(j)
                    vals.append(w / norm)
        else:
            idf = np.log(1 + (n - df + 0.5) / (df + 0.5))  # BM25's idf, never negative
            lengths = np.array([sum(c.values()) for c in counts], dtype=float)
            average = lengths.mean() if n else 1.0
            k1, b = BM25_K1, BM25_B
            for i, c in enumerate(counts):
                scale = k1 * (1 - b + b * lengths[i] / (average or 1.0))
                for t, f in c.items():
                    rows.append(i)
                    cols.append(vocabulary[t])
                    vals.append(idf[vocabulary[t]] * f * (k1 + 1) / (f + scale))
        matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(n, len(vocabulary)))
        return cls(method, keys, vocabulary, matrix, idf, tokenise)

    def _query(self, text: str) -> tuple[sparse.csr_matrix, float]:
        """The query's vector and the score that stands for a perfect match (1 for the cosine;
        for BM25 the query's own score, the sum of its known terms' idf-weighted counts)."""
        counts = Counter(t for t in self.tokenise(text) if t in self.vocabulary)
        cols = [self.vocabulary[t] for t in counts]
        if self.method == "char":
            vals = np.array([(1 + math.log(f)) * self.idf[self.vocabulary[t]] for t, f in counts.items()])
            norm = float(np.sqrt((vals**2).sum())) or 1.0
            vector = sparse.csr_matrix((vals / norm, ([0] * len(cols), cols)), shape=(1, len(self.vocabulary)))
            return vector, 1.0
        # BM25: a query term counts once per occurrence; the ceiling is the best any document could
        # score on these terms (each term at its saturation, k1 + 1 times its idf)
        vals = np.array([float(f) for f in counts.values()])
        vector = sparse.csr_matrix((vals, ([0] * len(cols), cols)), shape=(1, len(self.vocabulary)))
        ceiling = float(sum(self.idf[self.vocabulary[t]] * f for t, f in counts.items())) * (BM25_K1 + 1)
        return vector, ceiling or 1.0

    def scores(self, text: str) -> np.ndarray:
        """The similarity of ``text`` to every indexed text, in the order of ``keys``."""
        if not self.keys:
            return np.zeros(0)
        vector, ceiling = self._query(text)
        raw = (self.matrix @ vector.T).toarray().ravel()
        clipped: np.ndarray = np.clip(raw / ceiling, 0.0, 1.0)  # raw is a scipy product, untyped
        return clipped

    def nearest(self, text: str, k: int, exclude: Iterable[str] = ()) -> list[tuple[str, float]]:
        """The ``k`` keys most similar to ``text`` with a score above zero, best first (ties by key)."""
        scores = self.scores(text)
        skip = set(exclude)
        ranked = sorted(
            ((self.keys[i], float(s)) for i, s in enumerate(scores) if s > 0 and self.keys[i] not in skip),
            key=lambda pair: (-pair[1], pair[0]),
        )
        return ranked[:k]

    def similarity(self, text: str, key: str) -> float:
        return float(self.scores(text)[self.keys.index(key)])
