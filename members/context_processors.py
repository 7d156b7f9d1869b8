"""Puts the signed-in user's memberships in every template (for the navigation)."""
from members.selectors import memberships_for


def memberships(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_memberships": []}
    return {"user_memberships": memberships_for(user)}
