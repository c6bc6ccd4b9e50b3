"""The keyword-rule baseline: the category whose keywords occur most often, or the desk."""

from __future__ import annotations

from routing.classify.taxonomy import DISPATCH, Category, routable


class KeywordBaseline:
    name = "关键词规则"

    def __init__(self, cats: list[Category] | None = None):
        self.cats = cats if cats is not None else routable()

    def predict(self, text: str) -> tuple[str, float]:
        best, hits = DISPATCH, 0
        for cat in self.cats:
            count = sum(1 for keyword in cat.keywords if keyword in text)
            if count > hits:
                best, hits = cat.name, count
        return best, 1.0 if hits else 0.0
