"""Label data for :mod:`opsplaybook.labels`: one module per topic, each with a ``LABELS`` dict."""
