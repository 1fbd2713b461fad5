"""A team's own files: readers for CSV (UTF-8/GBK, any delimiter), Excel and Parquet with clear
errors, the mapping file that says which column plays which role, and validation (pandera)
that reports every problem at once before any analysis.

Nothing here modifies an input file.
"""
from .mapping import Mapping, TableMapping, guess_mapping, load_mapping, mapping_yaml
from .readers import FileInfo, read_table, sniff_file
from .validate import Problem, ValidationReport, validate_tables

__all__ = ["FileInfo", "read_table", "sniff_file", "Mapping", "TableMapping", "guess_mapping",
           "load_mapping", "mapping_yaml", "Problem", "ValidationReport", "validate_tables"]
