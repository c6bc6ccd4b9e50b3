"""The life-service API: an aiohttp app serving search, (later) bookings and tickets, and pages."""
