"""Summaries for methodists across structures, exports run in a worker, the deadline overview."""
