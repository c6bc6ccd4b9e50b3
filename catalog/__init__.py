"""The Jiangyin service catalog: entries, their store, and search over them.

A library: it imports neither Rasa nor aiohttp.
"""
