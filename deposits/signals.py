"""What deposits announce to the rest of the portal (sent only after the change is committed).

deposits never imports citations: citations listens here.
"""
from django.dispatch import Signal

# Sent with work_ids=[...]: works newly registered or re-deposited (metadata and reference
# list replaced) in one committed transaction.
works_registered = Signal()
