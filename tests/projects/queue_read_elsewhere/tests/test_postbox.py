from postbox import Mailbox, Outbox


async def test_the_inbox_holds_what_was_delivered():
    box = Mailbox()
    await box.deliver("a")
    await box.deliver("b")
    # asyncio.Queue's private deque: the rewrite of `inbox` would break this line.
    assert list(box.inbox._queue) == ["a", "b"]
    assert await box.collect() == "a"


async def test_the_outbox_hands_letters_on():
    box = Outbox()
    await box.send("c")
    assert await box.next() == "c"
