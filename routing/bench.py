"""`lifebot bench route`: the classifier against the keyword-rule baseline on the labelled set.

Scores are on the held-out part (never used to fit or tune); ``cross_validate`` gives the tuning
part's 5-fold figures that the threshold was chosen on. A request sent to the 12345 desk counts
as not routed (wrong) in accuracy, and shows up in the desk rate.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from routing.classify.taxonomy import DISPATCH, categories

Predict = Callable[[str], tuple[str, float]]


def evaluate(predict: Predict, examples: list[dict[str, str]], threshold: float = 0.0) -> dict[str, Any]:
    cats = categories()
    rows = []
    for example in examples:
        name, confidence = predict(example["text"])
        if confidence < threshold or name == DISPATCH:
            name = DISPATCH
        rows.append((cats[example["category"]], cats[name]))
    by_department: dict[str, list[bool]] = defaultdict(list)
    by_team: dict[str, list[bool]] = defaultdict(list)
    confusions: Counter[tuple[str, str]] = Counter()
    for gold, got in rows:
        by_department[gold.department].append(got.department == gold.department)
        if gold.team:
            by_team[gold.team].append(got.team == gold.team)
        if got.name != gold.name:
            confusions[(gold.name, got.name)] += 1
    n = len(rows)
    return {
        "n": n,
        "category_accuracy": sum(g.name == p.name for g, p in rows) / n,
        "routing_accuracy": sum(g.department == p.department and g.team == p.team for g, p in rows) / n,
        "desk_rate": sum(p.name == DISPATCH for _, p in rows) / n,
        "by_department": {d: (sum(v) / len(v), len(v)) for d, v in sorted(by_department.items())},
        "by_team": {t: (sum(v) / len(v), len(v)) for t, v in sorted(by_team.items())},
        "confusions": confusions.most_common(10),
    }


def cross_validate(make: Callable[[list[dict[str, str]]], Any], examples: list[dict[str, str]],
                   thresholds: tuple[float, ...], folds: int = 5) -> dict[float, dict[str, Any]]:
    """Fold k holds out every k-th example (by position), so no randomness enters the figures."""
    predictions: list[tuple[dict[str, str], tuple[str, float]]] = []
    for k in range(folds):
        train = [e for i, e in enumerate(examples) if i % folds != k]
        test = [e for i, e in enumerate(examples) if i % folds == k]
        model = make(train)
        probs = model.probabilities([e["text"] for e in test])
        for example, p in zip(test, probs, strict=True):
            best = max(p, key=p.get)
            predictions.append((example, (best, p[best])))
    cache = {e["text"]: pred for e, pred in predictions}
    return {t: evaluate(lambda text: cache[text], [e for e, _ in predictions], t) for t in thresholds}


def render(results: dict[str, dict[str, Any]], header: str) -> str:
    names = list(results)
    lines = [header, "", "| 方法 | 条数 | 部门+执法队伍准确率 | 类别准确率 | 转 12345 分派台比例 |", "|---|---|---|---|---|"]
    for name in names:
        r = results[name]
        lines.append(f"| {name} | {r['n']} | {r['routing_accuracy']:.3f} | {r['category_accuracy']:.3f} | "
                     f"{r['desk_rate']:.3f} |")
    for key, title in (("by_department", "部门"), ("by_team", "综合行政执法队伍")):
        lines += ["", f"| {title} | 条数 | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
        for unit, (_, count) in results[names[0]][key].items():
            cells = " | ".join(f"{results[n][key].get(unit, (0.0, 0))[0]:.2f}" for n in names)
            lines.append(f"| {unit} | {count} | {cells} |")
    for name in names:
        confusions = results[name]["confusions"]
        summary = "；".join(f"{gold}→{got} ×{count}" for (gold, got), count in confusions) or "无"
        lines += ["", f"**{name}最常见的错分**（应为→判为）：{summary}"]
    return "\n".join(lines)
