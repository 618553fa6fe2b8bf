"""Where the history lives unless --db says otherwise."""
import os


def default_db_path():
    """$XDG_DATA_HOME/rxbench/history.db, i.e. ~/.local/share/rxbench/history.db."""
    data = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"),
                                                           ".local", "share")
    return os.path.join(data, "rxbench", "history.db")
