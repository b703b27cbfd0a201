"""Every custom item-data role of every model, in one place (as Zeal's itemdatarole.h)."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import Qt


class Role(IntEnum):
    """Item-data roles beyond Qt's own; views and tests ask models for plain values with these.

    Python code reads plain values through the models' own accessors (``TreeModel.node``,
    ``ResultsModel.hit``) rather than ``index.data(role)``: cheaper and typed.
    """

    RecordId = Qt.ItemDataRole.UserRole + 1  # str: the record a row stands for, "" for a group
    Kind = Qt.ItemDataRole.UserRole + 2  # str: study, mechanism, treatment, person, group…
    Count = Qt.ItemDataRole.UserRole + 3  # int: trials and studies beneath a tree node
    Key = Qt.ItemDataRole.UserRole + 4  # str: a tree node's key, unique in its tree
    Detail = Qt.ItemDataRole.UserRole + 5  # str: a short second line (status · phase)
    Snippet = Qt.ItemDataRole.UserRole + 6  # str: a search hit's snippet, with match markers
    Score = Qt.ItemDataRole.UserRole + 7  # float: a search hit's rank (lower is better)
    Title = Qt.ItemDataRole.UserRole + 8  # str: the plain title, without a count
    Tags = Qt.ItemDataRole.UserRole + 9  # str: a bookmark's tags, comma-separated
    NoteLine = Qt.ItemDataRole.UserRole + 10  # str: the first line of a bookmark's note
    Where = Qt.ItemDataRole.UserRole + 11  # str: a bookmark's kind (and group), without tags or note
