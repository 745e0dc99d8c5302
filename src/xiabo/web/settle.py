"""Before a server process takes its first request: build what every page needs, then take it
out of the garbage collector's sight.

Why: the rule book, the compiled templates and the imported modules are a quarter of a million
objects that live as long as the process. Python's full collection walks every one of them
each time, which in a busy worker was a pause of 50–140 ms every few hundred requests and
about a tenth of a case page's CPU (measured with ``gc.callbacks`` over 3,000 case pages at
10,000 cases). ``gc.freeze()`` moves what exists now to a generation no collection visits;
what the pages create later is collected as before.
"""

from __future__ import annotations

import gc

__all__ = ["settle"]


def settle() -> None:
    """Load the rule book and compile every page template in both languages, then freeze."""
    from ..cases import rulebook
    from ..i18n import LANGS
    from .context import _lang_env

    rulebook()
    for lang in LANGS:
        env = _lang_env(lang)
        for name in env.list_templates(extensions=("html",)):
            env.get_template(name)
    gc.collect()
    gc.freeze()
