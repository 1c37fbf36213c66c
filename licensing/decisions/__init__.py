"""Decisions on applications: the one step that grants or refuses an application (or defers it),
whoever decides it (an officer under delegated powers or a hearing), with its notice, its
enforcement record and its national-register duty."""
