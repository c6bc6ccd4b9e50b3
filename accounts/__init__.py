"""The staff side's state: accounts, sessions, login throttling, the audit log, the search log and
the hand-over queue. A library (imports neither Rasa nor aiohttp); the API and the CLI use it.
"""
