"""Dialogs: build from formula, preferences, export, the shortcut sheet.

May import dvar.core, gui.document, gui.canvas and gui.messages.
"""
