"""A team's own files: readers for CSV (UTF-8/GBK, any delimiter), Excel and Parquet with clear errors.

Nothing here modifies an input file.
"""
from .readers import FileInfo, read_table, sniff_file

__all__ = ["FileInfo", "read_table", "sniff_file"]
