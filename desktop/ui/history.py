"""Back and forward through the records the user opened, like a web browser's history.

Records passed on the way (arrow keys through the tree) are not pages the user stayed on: a
"passing" visit replaces the one before it while that one was passing too, until the user
settles (stays a moment, or opens something another way). Back then goes to the last record
the user stayed on, not to every row passed.
"""

from __future__ import annotations

MAX_ENTRIES = 500


class History:
    """A list of record ids and a position in it; visiting drops whatever was ahead."""

    def __init__(self) -> None:
        self._entries: list[str] = []
        self._position = -1
        self._passing = False  # the current entry was only passed through, so far

    @property
    def current(self) -> str | None:
        return self._entries[self._position] if self._position >= 0 else None

    def visit(self, record_id: str, passing: bool = False) -> None:
        """Add ``record_id`` after the current entry; a ``passing`` visit right after another
        passing one takes its place."""
        if record_id == self.current:
            self._passing = self._passing and passing
            return
        del self._entries[self._position + 1:]
        if passing and self._passing and self._position >= 0:
            self._entries[self._position] = record_id
            return
        self._entries.append(record_id)
        if len(self._entries) > MAX_ENTRIES:
            del self._entries[0]
        self._position = len(self._entries) - 1
        self._passing = passing

    def settle(self) -> None:
        """The user stayed on the current entry: the next passing visit comes after it."""
        self._passing = False

    def can_go_back(self) -> bool:
        return self._position > 0

    def can_go_forward(self) -> bool:
        return self._position < len(self._entries) - 1

    def back(self) -> str | None:
        if not self.can_go_back():
            return None
        self._position -= 1
        self._passing = False
        return self.current

    def forward(self) -> str | None:
        if not self.can_go_forward():
            return None
        self._position += 1
        self._passing = False
        return self.current
