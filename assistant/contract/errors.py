"""Errors the product reports to users; each carries an HTTP status so every front end maps it the same way."""


class QAError(Exception):
    """Base class: a clear message for the user and the HTTP status it maps to."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidQuestion(QAError):
    status = 422


class QuestionTooLong(QAError):
    status = 413


class StoreEmpty(QAError):
    status = 503


class StoreUnavailable(QAError):
    status = 503


class UnknownDocument(QAError):
    status = 404


class UnsupportedFile(QAError):
    status = 415


class FileTooLarge(QAError):
    status = 413


class LoadError(QAError):
    """A file could not be read or parsed."""

    status = 422


class PageNotFound(QAError):
    """No such page, or no original to show it from."""

    status = 404
