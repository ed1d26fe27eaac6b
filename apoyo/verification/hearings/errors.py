class HearingError(Exception):
    """A hearing action was refused; the message says why, in Spanish, and `details` lists each
    refused file or correction."""

    def __init__(self, message, details=None):
        super().__init__(message)
        self.details = details or []
