"""Writers of the official-format xlsx sheet (openpyxl)."""
