"""Per-record read rules for actions and letters: whoever may see the case may see them."""

from licensing.models import Role


def action_visible(action, user):
    if action.case is not None:
        return action.case.can_view(user)
    return user.role in (Role.OFFICER, Role.MANAGER)


def letter_visible(letter, user):
    if letter.action is not None:
        return action_visible(letter.action, user)
    return user.role in (Role.OFFICER, Role.MANAGER)
