"""The embedded default's broker: kombu's filesystem transport, made safe for several processes.

kombu's own transport creates a message's file, then writes it. A worker listing the folder in
between takes an empty file, cannot decode it and stops ("Unrecoverable error: JSONDecodeError"),
and so does every worker after it; a process killed while writing leaves such a file for good.
Here a message is written under a name no reader takes, then renamed into place (one atomic step
in one folder), so a reader sees the whole message or none. A message that still cannot be read
(written by another program, or damaged on disk) is set aside in `damaged/`, named in the log,
and the worker goes on with the next one.

Messages are claimed by a rename in the queue's own folder: of two workers, one wins.
"""
from __future__ import annotations

import logging
import os
import uuid
from pathlib import Path
from queue import Empty
from time import monotonic_ns

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

logger = logging.getLogger(__name__)

# Suffixes of files that are not (or no longer) waiting messages; readers skip them.
WRITING = ".writing"
CLAIMED = ".claimed"
DAMAGED_FOLDER = "damaged"


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        """Write the message whole under a private name, then rename it into the queue."""
        # Readers take the oldest name first: nanoseconds, padded, keep one process's order.
        name = f"{monotonic_ns():020d}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = final + WRITING
        try:
            with open(partial, "wb") as message:
                message.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as error:
            raise ChannelError(f"Cannot add file {final!r} to directory") from error

    def _get(self, queue):
        """Take the oldest message of `queue`; set aside (and log) one that cannot be decoded."""
        wanted = f"{queue}.msg"
        folder = self.data_folder_in
        for name in sorted(os.listdir(folder)):
            if name.partition(".")[2] != wanted:
                continue
            path = os.path.join(folder, name)
            claimed = path + CLAIMED
            try:
                os.rename(path, claimed)
            except FileNotFoundError:
                continue  # another worker took it first
            try:
                with open(claimed, "rb") as message:
                    payload = message.read()
            except OSError as error:
                raise ChannelError(f"Cannot read file {claimed!r} from queue.") from error
            try:
                decoded = loads(bytes_to_str(payload))
            except ValueError as error:
                self._set_aside(claimed, name, error)
                continue
            os.remove(claimed)
            return decoded
        raise Empty()

    def _set_aside(self, claimed: str, name: str, error: ValueError) -> None:
        damaged = Path(self.data_folder_in) / DAMAGED_FOLDER
        damaged.mkdir(exist_ok=True)
        os.replace(claimed, damaged / name)
        logger.error(
            "Broker message %s could not be decoded (%s); set aside as %s, the worker goes on with the next.",
            name, error, damaged / name,
        )


class Transport(filesystem.Transport):
    Channel = Channel
