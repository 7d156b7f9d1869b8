"""Matching references to registered works, citation links and counts, and who sees the lists."""
