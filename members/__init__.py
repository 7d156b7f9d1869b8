"""Organisations (members), their DOI prefixes, their users and roles, and who may do what."""
