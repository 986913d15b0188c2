"""Weak signals: what builds up across days and weeks in the stored history (Qt-free).

:mod:`.model` holds the shared types (a :class:`~.model.Signal` explained in plain
French, its status, the columnar :class:`~.model.AlertHistory` the detector scans);
the detector itself, the history generator and the method are described in
``docs/weak_signals.md``.
"""
