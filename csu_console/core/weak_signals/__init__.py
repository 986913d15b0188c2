"""Weak signals: what builds up across days and weeks in the stored history (Qt-free).

- :mod:`.model`: the shared types (a :class:`~.model.Signal` explained in plain
  French, its status, the columnar :class:`~.model.AlertHistory` the detector scans);
- :mod:`.detector`: :func:`~.detector.detect`, one scan (:mod:`.recurrence`,
  :mod:`.clusters`, :mod:`.terms`, over :mod:`.scan`; :mod:`.stats` and
  :mod:`.text` underneath, :mod:`.wording` for the French);
- :mod:`.params`: :class:`~.params.DetectorParams`;
- :mod:`.generator`: months of realistic reports with planted signals.

The method is described in ``docs/weak_signals.md``.
"""
