"""The application: the `dvar` command line, the main window, desktop integration.

May import every other room.
"""
