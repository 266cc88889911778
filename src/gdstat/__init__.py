"""gdstat: statistics for China's government information disclosure annual reports.

The library is the product; the ``gdstat`` command is a view of it::

    from gdstat import load, summarize, validate
    report = load("examples/beilun-2018.xlsx")
    result = validate(["examples/beilun-2018.xlsx"])
"""

__version__ = "0.1.0"

__all__ = ["__version__", "load", "summarize", "validate"]


def __getattr__(name: str):
    # Keep `import gdstat` (and so `gdstat --help`) free of the loader's imports.
    if name in {"load", "summarize", "validate"}:
        from gdstat import api

        return getattr(api, name)
    raise AttributeError(name)
