"""A team's own files: readers for CSV (UTF-8/GBK, any delimiter), Excel and Parquet with clear
errors, and the mapping file that says which column plays which role.

Nothing here modifies an input file.
"""
from .mapping import Mapping, TableMapping, guess_mapping, load_mapping, mapping_yaml
from .readers import FileInfo, read_table, sniff_file

__all__ = ["FileInfo", "read_table", "sniff_file", "Mapping", "TableMapping", "guess_mapping",
           "load_mapping", "mapping_yaml"]
