"""Suggestions at petition intake, learned from the petitions already routed.

TF-IDF of character 2–5-grams (across word boundaries, so syllable pairs such as "p lao" count)
and of word 1–2-grams, both on the accent-folded text (`zonedesk.core.text.fold`): "giấy phép
lao động", "GIAY PHEP LAO DONG" and "giay phep lao dong" are the same features. Two linear SVMs
on them, one for the category and one for the lead agency; "similar existing petitions" are the
nearest ones by cosine similarity on the same vectors. Plain data in, plain data out: no Django
models here, so the app can fit it from any query and the benchmark runs without a database.

The officer always sees the suggestion and accepts or overrides it; nothing is applied silently.

    rows = [(reference, text, category, agency), ...]      # text = petition_text(title, body)
    s = Suggester().fit(rows)
    s.suggest("Chậm cấp giấy phép lao động", "Kỹ sư người Nhật ...")
    -> {"category": "labour", "category_confidence": 0.99, "agency": "SNV-HN",
        "agency_confidence": 0.99, "similar": [{"reference": "PAKN-2026-000012", "score": 0.54}]}

Choice of features, measured by bench/suggest_accuracy.py (demo corpus, 540 petitions, median
of 3 x 5-fold; "grouped" keeps every variant of one hand-written base petition in one fold):

    features   stratified cat/agency   grouped cat/agency
    folded     0.976 / 0.937           0.776 / 0.717     (default)
    folded_wb  0.969 / 0.930           0.720 / 0.665     char_wb 2–5 only: loses syllable pairs
    union      0.980 / 0.943           0.789 / 0.730     + 2–5-grams of the text as written

Over five corpus seeds the default ranges 0.974–0.980 / 0.93–0.95 (stratified) and
0.77–0.83 / 0.70–0.74 (grouped). "union" is within noise of "folded" but has more features,
fits slower, and its suggestion for a text typed without accents can differ from the same text
with accents; "folded" is accent-insensitive by construction. Fitting 1,000 petitions takes
about 1–2 s on a 2-core machine (vectorising and the two SVMs about half each).
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

from zonedesk.core.text import fold

Row = tuple[str, str, str, str]  # (reference, text, category, agency)

MIN_ROWS = 10  # below this, or with a single label, the most frequent label with confidence 0
# Cosine. On the demo corpus, petitions of different base texts score 0.09 (median), 0.22 (99th
# percentile), 0.28 (99.9th); variants of one base text 0.66 and more; related new texts 0.3–0.4.
SIMILAR_THRESHOLD = 0.3
TEMPERATURE = 6.0  # softmax temperature on SVM decision values (see _Label)
MAX_CHARS = 3000  # a long letter says what it is about early on; keeps the fit time predictable
DEFAULT_CATEGORY = "other"
DEFAULT_AGENCY = "BQL-HN"


def petition_text(title: str, body: str) -> str:
    """The text a suggester sees for one petition: the title, then the body."""
    return f"{title or ''}\n{body or ''}".strip()


FEATURES = ("folded", "folded_wb", "union")
_SYLLABLES = r"(?u)\b\w+\b"  # words of one letter count too (Vietnamese syllables are words)


def _vectorizer(analyzer: str, ngrams: tuple[int, int], n_rows: int) -> TfidfVectorizer:
    options = {
        "analyzer": analyzer,
        "ngram_range": ngrams,
        "lowercase": False,  # the text is lower-cased (or folded) once, before
        "sublinear_tf": True,
        "min_df": 2 if n_rows >= 50 else 1,
        "max_df": 0.9 if n_rows >= 50 else 1.0,
        "dtype": np.float32,
    }
    if analyzer == "word":
        options["token_pattern"] = _SYLLABLES
    return TfidfVectorizer(**options)


class _Features:
    """TF-IDF blocks side by side; rows are L2-normalised, so a dot product is the cosine.

    folded:    character 2–5-grams across word boundaries + word 1–2-grams, of the folded text
    folded_wb: character 2–5-grams inside words (char_wb) of the folded text
    union:     folded + character 2–5-grams of the text as written (accents kept)
    """

    def __init__(self, mode: str, n_rows: int):
        if mode not in FEATURES:
            raise ValueError(f"unknown features {mode!r}: one of {FEATURES}")
        if mode == "folded_wb":
            self.blocks = [("folded", _vectorizer("char_wb", (2, 5), n_rows))]
        else:
            self.blocks = [
                ("folded", _vectorizer("char", (2, 5), n_rows)),
                ("folded", _vectorizer("word", (1, 2), n_rows)),
            ]
            if mode == "union":
                self.blocks.append(("written", _vectorizer("char", (2, 5), n_rows)))

    @staticmethod
    def _views(texts: Sequence[str]) -> dict[str, list[str]]:
        texts = [(t or "")[:MAX_CHARS] for t in texts]
        return {"folded": [fold(t) for t in texts], "written": [t.lower() for t in texts]}

    def fit_transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        views = self._views(texts)
        x = self._join([v.fit_transform(views[src]) for src, v in self.blocks])
        for _src, v in self.blocks:
            v.stop_words_ = None  # the n-grams cut by min_df/max_df: only for introspection, and large
        return x

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        views = self._views(texts)
        return self._join([v.transform(views[src]) for src, v in self.blocks])

    @staticmethod
    def _join(blocks: list) -> sparse.csr_matrix:
        x = blocks[0] if len(blocks) == 1 else sparse.hstack(blocks, format="csr")
        return normalize(x.tocsr(), copy=False)


class _Label:
    """One label (category or agency): a linear SVM, or the most frequent label.

    The confidence is a softmax of the SVM's decision values with a fixed temperature, chosen
    by cross-validation on the demo corpus (bench/suggest_accuracy.py) to minimise the log-loss:
    a rough probability that the suggestion is right, good enough to rank and to show.
    """

    def __init__(self, labels: Sequence[str], default: str, c: float, temperature: float):
        counts = Counter(labels)
        self.majority = counts.most_common(1)[0][0] if counts else default
        self.model: LinearSVC | None = None
        self.c = c
        self.temperature = temperature
        self.trainable = len(counts) >= 2 and len(labels) >= MIN_ROWS

    def fit(self, x, labels: Sequence[str]) -> None:
        if self.trainable:
            self.model = LinearSVC(C=self.c, tol=1e-2, random_state=0)  # tol: same accuracy as 1e-4, faster
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # convergence warnings on tiny sets
                self.model.fit(x, labels)

    def scores(self, x) -> np.ndarray:
        d = self.model.decision_function(x)
        if d.ndim == 1:  # two classes: one column, positive means classes_[1]
            d = np.column_stack([-d, d])
        return d

    def predict(self, x) -> list[tuple[str, float]]:
        n = x.shape[0]
        if self.model is None:
            return [(self.majority, 0.0)] * n
        d = self.scores(x) * self.temperature
        d -= d.max(axis=1, keepdims=True)
        p = np.exp(d)
        p /= p.sum(axis=1, keepdims=True)
        best = p.argmax(axis=1)
        empty = np.diff(x.indptr) == 0
        out = []
        for i in range(n):
            if empty[i]:  # nothing known in the text: no evidence either way
                out.append((self.majority, 0.0))
            else:
                out.append((str(self.model.classes_[best[i]]), round(float(p[i, best[i]]), 3)))
        return out


class Suggester:
    """Suggest a category, a lead agency and similar petitions for a new one.

    fit(rows) with rows of (reference, text, category, agency); text is usually
    `petition_text(title, body)`. The fitted object pickles, so the app may cache it.
    """

    def __init__(
        self,
        *,
        features: str = "folded",
        c: float = 1.0,
        temperature: float = TEMPERATURE,
        similar_threshold: float = SIMILAR_THRESHOLD,
        default_category: str = DEFAULT_CATEGORY,
        default_agency: str = DEFAULT_AGENCY,
    ):
        self.features_mode = features
        self.c = c
        self.temperature = temperature
        self.similar_threshold = similar_threshold
        self.default_category = default_category
        self.default_agency = default_agency
        self.references: list[str] = []
        self._features: _Features | None = None
        self._x = None
        self._category: _Label | None = None
        self._agency: _Label | None = None

    # -- fitting ------------------------------------------------------------------------------

    def fit(self, rows: Iterable[Row]) -> Suggester:
        rows = [r for r in rows if r[1] and r[1].strip()]
        self.references = [r[0] for r in rows]
        categories = [r[2] for r in rows]
        agencies = [r[3] for r in rows]
        self._category = _Label(categories, self.default_category, self.c, self.temperature)
        self._agency = _Label(agencies, self.default_agency, self.c, self.temperature)
        self._features, self._x = None, None
        if rows:
            self._features = _Features(self.features_mode, len(rows))
            try:
                self._x = self._features.fit_transform([r[1] for r in rows])
            except ValueError:  # empty vocabulary (texts of punctuation only)
                self._features = None
        if self._x is not None:
            self._category.fit(self._x, categories)
            self._agency.fit(self._x, agencies)
        return self

    # -- suggesting -----------------------------------------------------------------------------

    def predict(self, texts: Sequence[str]) -> list[tuple[str, float, str, float]]:
        """(category, confidence, agency, confidence) for each text."""
        if self._category is None:
            return [(self.default_category, 0.0, self.default_agency, 0.0)] * len(texts)
        if self._features is None:
            return [(self._category.majority, 0.0, self._agency.majority, 0.0)] * len(texts)
        x = self._features.transform(list(texts))
        return [
            (c, cp, a, ap) for (c, cp), (a, ap) in zip(self._category.predict(x), self._agency.predict(x), strict=True)
        ]

    def similar(self, text: str, *, k: int = 5, exclude: Iterable[str] = ()) -> list[dict]:
        """Up to k existing petitions with cosine ≥ the threshold, best first."""
        if self._features is None or self._x is None or k <= 0:
            return []
        q = self._features.transform([text])
        if q.nnz == 0:
            return []
        scores = (self._x @ q.T).toarray().ravel()
        skip = set(exclude)
        order = np.argsort(-scores, kind="stable")
        out = []
        for i in order:
            score = float(scores[i])
            if score < self.similar_threshold:
                break
            if self.references[i] in skip:
                continue
            out.append({"reference": self.references[i], "score": round(score, 3)})
            if len(out) == k:
                break
        return out

    def suggest(self, title: str, body: str, *, k: int = 5, exclude: Iterable[str] = ()) -> dict:
        text = petition_text(title, body)
        category, category_confidence, agency, agency_confidence = self.predict([text])[0]
        return {
            "category": category,
            "category_confidence": category_confidence,
            "agency": agency,
            "agency_confidence": agency_confidence,
            "similar": self.similar(text, k=k, exclude=exclude),
        }


def cross_validate(
    rows: Sequence[Row],
    folds: int = 5,
    seed: int = 0,
    *,
    groups: Sequence | None = None,
    **suggester_options,
) -> dict:
    """Stratified k-fold accuracy of the category and agency suggestions.

    With `groups` (e.g. which base text a demo petition came from), no group is split across
    folds: a stricter measure, closer to genuinely new petitions.
    """
    rows = list(rows)
    n = len(rows)
    categories = np.array([r[2] for r in rows])
    agencies = np.array([r[3] for r in rows])
    smallest = min(Counter(categories).values()) if n else 0
    if groups is None:
        folds = max(2, min(folds, smallest))
    else:
        folds = max(2, min(folds, len(set(groups))))
    if n < 2 * folds or len(set(categories)) < 2:
        return {"category_accuracy": None, "agency_accuracy": None, "n": n, "folds": 0}
    if groups is None:
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
        splits = splitter.split(np.zeros(n), categories)
    else:
        splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
        splits = splitter.split(np.zeros(n), categories, groups)
    hit_c = hit_a = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "the least populated class has only 1 member"
        splits = list(splits)
    for train, test in splits:
        model = Suggester(**suggester_options).fit([rows[i] for i in train])
        for i, (c, _cp, a, _ap) in zip(test, model.predict([rows[i][1] for i in test]), strict=True):
            hit_c += c == categories[i]
            hit_a += a == agencies[i]
    return {
        "category_accuracy": round(hit_c / n, 4),
        "agency_accuracy": round(hit_a / n, 4),
        "n": n,
        "folds": folds,
    }
