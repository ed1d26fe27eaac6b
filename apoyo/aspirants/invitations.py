"""The auxiliaries' invitation links: Django's password-reset token with the auxiliary's count of
invitations sent in its hash. Sending an invitation again therefore makes every earlier link
invalid (an e-mail sent to a wrong address, a phone lost), and setting the password makes them
all invalid as Django's own token does."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "apoyo.aspirants.invitations.InvitationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        # No Auxiliary record (another role): the reverse accessor raises an AttributeError.
        auxiliary = getattr(user, "auxiliary", None)
        number = auxiliary.invitations_sent if auxiliary is not None else "-"
        return f"{super()._make_hash_value(user, timestamp)}|{number}"


invitation_tokens = InvitationTokenGenerator()


def invitation_token(auxiliary):
    """The token of the invitation numbered `auxiliary.invitations_sent`, as it is in memory (the
    count is bumped before the e-mail is sent and saved once it was)."""
    user = auxiliary.user
    # The generator reads the count through the user: make it read this very record.
    user.auxiliary = auxiliary
    return invitation_tokens.make_token(user)
