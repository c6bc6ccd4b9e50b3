"""Tickets: number, routing, contact, SLA due time, status history; ``TicketStore`` keeps them."""
