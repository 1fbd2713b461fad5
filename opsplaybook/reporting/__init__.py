"""The playbook run on a team's own data: ``opsplaybook.report(...)`` / ``opsplaybook report``.

Reads the team's files (any encoding, Excel, Parquet), maps their columns, validates them (every
problem at once, before any analysis), runs the analyses the data allows, and writes a folder:
``report.html`` (self-contained), ``users.csv`` / ``users.parquet`` (per user, personal data
masked), ``summary.json`` (the key figures, schema ``opsplaybook.report/1``) and the ``mapping.yaml`` used.
"""
from .run import SUMMARY_SCHEMA, ReportResult, report

__all__ = ["report", "ReportResult", "SUMMARY_SCHEMA"]
