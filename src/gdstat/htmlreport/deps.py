"""The optional ``report`` extra: one clear line when it is missing."""

from __future__ import annotations

import importlib.util

from gdstat.errors import UsageError

NEEDS = ("jinja2", "matplotlib")


def require() -> None:
    missing = [name for name in NEEDS if importlib.util.find_spec(name) is None]
    if missing:
        raise UsageError(f"gdstat report needs the optional report extra ({' and '.join(missing)} missing)",
                         hint="install it with: pip install 'gdstat[report]'")
