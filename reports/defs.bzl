"""Build helpers for the reports package: each directory is one Python package (one
py_library named after it) with a py_test per `<module>_test.py` next to its module,
run with Debian's /usr/bin/python3 (the registered toolchain)."""

def py_package(deps, exclude = []):
    """The directory's modules (all but tests and `exclude`) as one py_library named
    after the directory, usable by the rest of //reports."""
    native.py_library(
        name = native.package_name().split("/")[-1],
        srcs = native.glob(["*.py"], exclude = ["*_test.py"] + exclude),
        visibility = ["//reports:__subpackages__"],
        deps = deps,
    )

def py_unit_tests(tests, deps, size = "small", data = [], tags = [], env = {}, variant = ""):
    """One py_test per file in `tests` (e.g. "paired_test.py"), each depending on `deps`.
    `variant` (e.g. "pg") names the same tests run another way (`env` says which):
    paired_pg_test."""
    for src in tests:
        native.py_test(
            name = src[:-len("_test.py")] + "_" + variant + "_test" if variant else src[:-len(".py")],
            env = env,
            size = size,
            srcs = [src],
            main = src,
            python_version = "PY3",
            data = data,
            # Pure Python against fake harnesses: a sanitizer build of the C++
            # would only run them again, unchanged, in CI's sanitizer steps.
            tags = tags + ["not-under-sanitizers"],
            deps = deps,
        )
