"""Eval suite: task files, the runner that plays them through the copilot, metrics and reports."""
