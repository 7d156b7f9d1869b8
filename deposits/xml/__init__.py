"""Reading Crossref deposit XML into plain records, with no Django in it.

`open_deposit(source)` is the one entry point (`read_deposit` reads it whole, as the worker does);
see `records.py` for what it yields.
"""
from deposits.xml.parser import check_file, open_deposit, read_deposit
from deposits.xml.records import (
    BatchHead,
    Contributor,
    DepositFileError,
    ParsedReference,
    ParsedWork,
    RecordError,
)

__all__ = [
    "BatchHead",
    "Contributor",
    "DepositFileError",
    "ParsedReference",
    "ParsedWork",
    "RecordError",
    "check_file",
    "open_deposit",
    "read_deposit",
]
