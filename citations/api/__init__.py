"""The portal's JSON API in Crossref's wire formats (Django REST framework). Depends on the domain, never the reverse."""
