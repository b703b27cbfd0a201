"""Qt models over the data layer: QtCore/QtGui and plain records only, never widgets or SQL."""
