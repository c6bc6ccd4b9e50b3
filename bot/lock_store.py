"""Rasa's Redis lock store with every change to a conversation's lock made atomically.

Rasa 3.6's ``RedisLockStore`` changes a lock by reading it, changing it in Python and writing it
back. Two Rasa servers taking a ticket for the same conversation at the same moment both read
"no tickets", both write ticket 0, and both run the turn at once; each then saves the tracker it
read, and the later save drops the other's events (a resident's message vanished from the
conversation in tests/scale). Rasa's maintainers tried a fix and reverted it (RasaHQ/rasa#11256,
#11428). Here each read-change-write runs in a Redis transaction on the lock's key (WATCH / MULTI /
EXEC) and is retried when another server changed the key in between, so tickets are unique and a
lock is deleted only when no one holds or waits for it.

Used by the scaled layout (lifebot/scaled/layout.py): ``lock_store: type:
bot.lock_store.AtomicRedisLockStore`` with the same keys as ``type: redis``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

Result = TypeVar("Result")

# A change gets the stored lock (or None) and returns the lock to store (None deletes it) and a result.
Change = Callable[[TicketLock | None], "tuple[TicketLock | None, Result]"]


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig | None = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)

    def _change(self, conversation_id: str, change: Change) -> Result:
        import redis

        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    stored = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(stored)) if stored else None
                    new_lock, result = change(lock)
                    pipe.multi()
                    if new_lock is not None:
                        pipe.set(key, new_lock.dumps())
                    elif stored:
                        pipe.delete(key)
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # another server changed this lock meanwhile: read it again

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def take(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change(conversation_id, take)
        except Exception as e:  # as Rasa's own store does, so its callers see one kind of error
            raise LockError(f"Error while acquiring lock. Error:\n{e}") from e

    def update_lock(self, conversation_id: str) -> None:
        def drop_expired(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return lock, None

        self._change(conversation_id, drop_expired)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        def finish(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is not None:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change(conversation_id, finish)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Give back the ticket; delete the lock in the same step if no one else holds or waits."""

        def finish_and_maybe_delete(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change(conversation_id, finish_and_maybe_delete)
