"""The open document: the graph being edited, its undo commands, clipboard, autosave.

May import dvar.core, QtCore and QtGui and gui.messages; never a widget room.
"""
