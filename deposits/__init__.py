"""Receiving deposit files, validating and parsing them, and registering their works and references."""
