"""gdstat: statistics for China's government information disclosure annual reports.

The library is the product; the ``gdstat`` command is a view of it::

    from gdstat import load, summarize, to_frame, validate
    report = load("examples/beilun-2018.xlsx")
    result = validate(["examples/beilun-2018.xlsx"])
    frame = to_frame("examples/")  # every value of every report, with pandas
"""

__version__ = "0.1.0"

__all__ = ["__version__", "load", "summarize", "to_frame", "validate"]


def __getattr__(name: str):
    # Keep `import gdstat` (and so `gdstat --help`) free of the loader's imports.
    if name in {"load", "summarize", "validate"}:
        from gdstat import api

        return getattr(api, name)
    if name == "to_frame":
        from gdstat.batch import to_frame

        return to_frame
    raise AttributeError(name)
