"""WeasyPrint for every PDF the product makes (fidelity report, state board, responsibilities, outcomes)."""

import logging
from types import ModuleType
from typing import cast

# WeasyPrint reports each layout step at INFO; keep benchmarks and logs quiet.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def weasyprint() -> ModuleType:
    """WeasyPrint, imported on first use. Importing it takes over a second (Pango, fonts), which every app
    server process would otherwise pay at start-up although few requests make a PDF."""
    import weasyprint as module  # one of the three imports inside a function: start-up time, see above

    return cast(ModuleType, module)  # WeasyPrint ships no types: mypy sees Any
