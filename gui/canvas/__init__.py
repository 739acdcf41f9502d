"""The canvas: the scene, the view, node and edge items, their look, the minimap,
quick-add, the in-place value editor, gestures, and drawing diagrams for export.

May import dvar.core, gui.document and gui.messages; never the panels, teach, dialogs or app.
"""
