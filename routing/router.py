"""Route a request: category, department, enforcement team, grid, confidence, urgency. No side effects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from catalog.simplified import to_simplified
from routing.classify.model import RequestClassifier
from routing.classify.taxonomy import DESK_DEPARTMENT, DISPATCH, categories
from routing.grids.address import AddressResolver, Place, resolver
from routing.urgent import is_urgent


@dataclass
class Route:
    category: str
    department: str
    team: str | None
    confidence: float
    urgent: bool
    place: Place

    def to_dict(self) -> dict[str, Any]:
        """The body of POST /api/route."""
        return {"department": self.department, "team": self.team,
                "grid": self.place.grid.to_dict() if self.place.grid else None,
                "category": self.category, "confidence": round(self.confidence, 3), "urgent": self.urgent}


class Router:
    def __init__(self, classifier: RequestClassifier, addresses: AddressResolver | None = None):
        self.classifier = classifier
        self.addresses = addresses or resolver()

    def route(self, text: str, address: str | None = None) -> Route:
        """``address``, when the resident gave it apart from the text, is resolved first. The text is
        classified in Simplified characters, as the examples are written (the resolver reads places so)."""
        text = to_simplified(text)
        place = self.addresses.resolve(address) if address else Place()
        if not place.resolved:
            from_text = self.addresses.resolve(text)
            if from_text.resolved or not address:
                place = from_text
        name, confidence = self.classifier.predict(text)
        if confidence < self.classifier.threshold:
            name = DISPATCH
        cat = categories()[name]
        if name == DISPATCH:
            return Route(name, DESK_DEPARTMENT, None, confidence, is_urgent(text), place)
        return Route(cat.name, cat.department, cat.team, confidence, is_urgent(text), place)
