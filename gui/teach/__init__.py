"""The teaching tools: nudge, step-through, forward mode, training and its chart.

May import dvar.core, gui.document, gui.canvas, gui.panels and gui.messages.
"""
