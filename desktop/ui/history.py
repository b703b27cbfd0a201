"""Back and forward through the records the user opened, like a web browser's history."""

from __future__ import annotations

MAX_ENTRIES = 500


class History:
    """A list of record ids and a position in it; visiting drops whatever was ahead."""

    def __init__(self) -> None:
        self._entries: list[str] = []
        self._position = -1

    @property
    def current(self) -> str | None:
        return self._entries[self._position] if self._position >= 0 else None

    def visit(self, record_id: str) -> None:
        if record_id == self.current:
            return
        del self._entries[self._position + 1:]
        self._entries.append(record_id)
        if len(self._entries) > MAX_ENTRIES:
            del self._entries[0]
        self._position = len(self._entries) - 1

    def can_go_back(self) -> bool:
        return self._position > 0

    def can_go_forward(self) -> bool:
        return self._position < len(self._entries) - 1

    def back(self) -> str | None:
        if not self.can_go_back():
            return None
        self._position -= 1
        return self.current

    def forward(self) -> str | None:
        if not self.can_go_forward():
            return None
        self._position += 1
        return self.current
