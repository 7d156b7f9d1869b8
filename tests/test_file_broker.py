"""The embedded default's file broker: a reader never takes a message half written, a message that
cannot be decoded is set aside without stopping the worker, and each message is taken once."""
from __future__ import annotations

import logging
import threading
from queue import Empty

import pytest
from kombu import Connection
from kombu.transport.virtual import BrokerState

from portal.file_broker import Transport

QUEUE = "jobs"


@pytest.fixture
def folders(tmp_path, monkeypatch):
    # The transport keeps its declared exchanges process-wide (one folder a process, in use);
    # each test here has folders of its own, so it starts with none declared.
    monkeypatch.setattr(Transport, "global_state", BrokerState())
    for sub in ("queue", "control"):
        (tmp_path / sub).mkdir()
    return tmp_path


def _connection(folders) -> Connection:
    return Connection(
        "filesystem://localhost/",
        transport="portal.file_broker:Transport",
        transport_options={
            "data_folder_in": str(folders / "queue"),
            "data_folder_out": str(folders / "queue"),
            "control_folder": str(folders / "control"),
        },
    )


def _take_all(folders) -> list[int]:
    taken = []
    with _connection(folders) as connection:
        queue = connection.SimpleQueue(QUEUE)
        while True:
            try:
                message = queue.get(block=False)
            except Empty:
                return taken
            taken.append(message.payload["n"])
            message.ack()


def _put(folders, *numbers: int) -> None:
    with _connection(folders) as connection:
        queue = connection.SimpleQueue(QUEUE)
        for n in numbers:
            queue.put({"n": n})


def test_messages_arrive_whole_and_in_order_and_leave_no_file_behind(folders):
    _put(folders, 1, 2, 3)
    assert _take_all(folders) == [1, 2, 3]
    assert list((folders / "queue").iterdir()) == []


def test_a_message_still_being_written_is_not_taken(folders):
    # What a writer killed mid-write leaves, or one still writing: the reader must not take it.
    (folders / "queue" / f"1_half.{QUEUE}.msg.writing").write_bytes(b'{"body": "ey')
    _put(folders, 7)
    assert _take_all(folders) == [7]
    assert (folders / "queue" / f"1_half.{QUEUE}.msg.writing").exists()


def test_a_message_that_cannot_be_decoded_is_set_aside_and_named_and_the_next_is_delivered(folders, caplog):
    # kombu's own transport creates the file before writing it: a reader in between saw it empty.
    empty = f"1_empty.{QUEUE}.msg"
    (folders / "queue" / empty).write_bytes(b"")
    _put(folders, 8)
    with caplog.at_level(logging.ERROR, logger="portal.file_broker"):
        assert _take_all(folders) == [8]
    assert (folders / "queue" / "damaged" / empty).exists()
    assert empty in caplog.text and "set aside" in caplog.text


def test_two_readers_take_each_message_exactly_once(folders):
    numbers = list(range(300))
    _put(folders, *numbers)
    results: list[list[int]] = [[], []]
    readers = [threading.Thread(target=lambda i=i: results[i].extend(_take_all(folders))) for i in range(2)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(timeout=60)
    taken = results[0] + results[1]
    assert sorted(taken) == numbers
