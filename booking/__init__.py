"""Appointments at service halls and home services (a library: no Rasa, no aiohttp)."""
