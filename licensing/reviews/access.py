"""Per-record read rules for actions and letters: whoever may see the case may see them."""

from licensing.models import Permission


def can_view_action(user, action):
    if action.case is not None:
        return action.case.can_view(user)
    return user.can(Permission.REVIEWS_READ)


def can_view_letter(user, letter):
    if letter.action is not None:
        return can_view_action(user, letter.action)
    return user.can(Permission.REVIEWS_READ)
