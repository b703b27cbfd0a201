"""Where a record sits in each grouping tree: see :func:`desktop.data.groupings.tree_paths`
(each grouping declares its own paths there, next to its roots and children)."""

from desktop.data.groupings import MAX_PATHS, tree_paths

__all__ = ["MAX_PATHS", "tree_paths"]
