"""Writing output files so that a reader never sees half a file: write a temporary file
in the same directory, then rename it over the target (rename is atomic on POSIX)."""
import json
import os
import tempfile

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
            os.replace(temp, path)
        except BaseException:
            os.unlink(temp)
            raise
    except OSError as e:
        raise UsageError(f"cannot write {path}: {e}") from e


def write_json_atomically(path, data):
    # allow_nan=False: NaN is not JSON; a writer that produced one has a bug to surface.
    write_atomically(path, json.dumps(data, indent=1, allow_nan=False) + "\n")


def read_json(path, what="file"):
    """The parsed JSON at path; a usage error naming `what` if it cannot be read."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise UsageError(f"cannot read {what} {path}: {e}") from e
