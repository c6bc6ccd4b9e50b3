"""Routing (issue 7): where a resident's report goes and the ticket that follows it.

A library like ``catalog``: it imports neither Rasa nor aiohttp. ``grids`` (the grid map and
address resolution), ``classify`` (request -> category -> department / enforcement team),
``router`` (both together, plus urgency), ``tickets`` (the ticket store and its life cycle).
"""
