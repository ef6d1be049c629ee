"""The project turns warnings into errors (`filterwarnings = error`). Split into memory object
streams, the feed's queue would be two streams nothing closes, and anyio's streams warn when
collected unclosed: `gc.collect()` at the end of a test would fail it. The run keeps the
object's queue whole (the `_Queue` helper, which warns about nothing) and splits the function's
queue, whose streams it closes."""
import gc

from feed import Feed, batch


async def test_a_feed_hands_items_on_in_order():
    feed = Feed()
    await feed.publish(1)
    await feed.publish(2)
    assert [await feed.next(), await feed.next()] == [1, 2]
    del feed
    gc.collect()


async def test_a_batch_is_drained():
    assert await batch([3, 4]) == [3, 4]
    gc.collect()
