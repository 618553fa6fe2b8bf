"""Writing output files so that a reader never sees half a file: write a temporary file
in the same directory, then rename it over the target (rename is atomic on POSIX). The
file is synced before the rename and the directory after it, so that a crash leaves the
old file or all of the new one, never a renamed empty one."""
import json
import os
import tempfile
from typing import Any

from reports.usage import UsageError


def write_atomically(path, text):
    directory = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(directory, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".tmp-", suffix=os.path.basename(path),
                                    dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.replace(temp, path)
        except BaseException:
            os.unlink(temp)
            raise
        _sync_directory(directory)
    except OSError as e:
        raise UsageError(f"cannot write {path}: {e}") from e


def _sync_directory(directory):
    """Makes the rename itself durable. Best effort: the new file is whole either way."""
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_json_atomically(path: str, data: Any) -> None:
    # allow_nan=False: NaN is not JSON; a writer that produced one has a bug to surface.
    write_atomically(path, json.dumps(data, indent=1, allow_nan=False) + "\n")


def read_json(path, what="file"):
    """The parsed JSON at path; a usage error naming `what` if it cannot be read."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise UsageError(f"cannot read {what} {path}: {e}") from e
