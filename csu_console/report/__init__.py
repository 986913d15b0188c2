"""Printed output of the supervisor review: the PDF shift report (QtGui only, no
widgets: it renders offscreen, on any thread)."""
