"""bot/lock_store.py against a real redis-server: two processes, many turns of one conversation at once.

Each turn does what a Rasa turn does to the shared tracker, read it, take time, write it back, under
the conversation's lock. With Rasa's own RedisLockStore two servers can take the same ticket and run
at once (a turn's write is then lost); with the atomic store every turn runs alone and none is lost.
"""

from __future__ import annotations

import asyncio
import multiprocessing

CONVERSATION = "lock-store-test"
PROCESSES, TURNS = 2, 12


def _turns(port: int, turns: int) -> None:
    """One 'Rasa server': run ``turns`` turns of one conversation concurrently."""
    import redis

    from bot.lock_store import AtomicRedisLockStore

    store = AtomicRedisLockStore(host="127.0.0.1", port=port, db=0, key_prefix="test")
    shared = redis.StrictRedis(host="127.0.0.1", port=port, db=0)

    async def turn() -> None:
        async with store.lock(CONVERSATION, wait_time_in_seconds=0.01):
            inside = shared.incr("inside")
            tracker = int(shared.get("tracker") or 0)  # read the conversation
            await asyncio.sleep(0.02)  # predict, run actions
            shared.set("tracker", tracker + 1)  # save it
            if inside > 1:
                shared.set("overlap", 1)
            shared.decr("inside")

    async def main() -> None:
        await asyncio.gather(*(turn() for _ in range(turns)))

    asyncio.run(main())


def test_turns_of_one_conversation_on_two_servers_run_one_at_a_time(redis_port):
    import redis

    with multiprocessing.get_context("spawn").Pool(PROCESSES) as pool:
        # a lock that loses a ticket can leave turns waiting for ever: give up after two minutes
        pool.starmap_async(_turns, [(redis_port, TURNS)] * PROCESSES).get(timeout=120)
    shared = redis.StrictRedis(host="127.0.0.1", port=redis_port, db=0)
    assert shared.get("overlap") is None, "two turns of one conversation ran at the same time"
    assert int(shared.get("tracker")) == PROCESSES * TURNS  # no turn's write was lost
    assert shared.get("test:lock:" + CONVERSATION) is None  # the lock is gone once every turn is done
