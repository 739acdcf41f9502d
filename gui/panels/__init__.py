"""The docks beside the canvas: derivatives, inspector, operations palette.

May import dvar.core, gui.document, gui.canvas and gui.messages.
"""
