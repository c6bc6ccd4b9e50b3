"""The scaled-out layout on one machine (docs/scaling.md): PostgreSQL, Redis and nginx in front of
several API workers, action servers and Rasa servers, all on loopback, started by `lifebot run-scaled`.
"""
