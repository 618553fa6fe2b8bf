"""Build helpers for the reports package: one py_test per `<module>_test.py`, next to
the module it tests, run with Debian's /usr/bin/python3 (the registered toolchain)."""

def py_unit_tests(tests, deps, size = "small", data = [], tags = []):
    """One py_test per file in `tests` (e.g. "paired_test.py"), each depending on `deps`."""
    for src in tests:
        native.py_test(
            name = src[:-len(".py")],
            size = size,
            srcs = [src],
            main = src,
            python_version = "PY3",
            data = data,
            tags = tags,
            deps = deps,
        )
