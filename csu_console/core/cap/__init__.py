"""OASIS CAP 1.2 alerts (protocol v1 ``cap`` messages, the hub's CAP channels) mapped
onto :class:`~csu_console.core.alerts.Alert` and its
:class:`~csu_console.core.cap_facts.CapFacts`.

- :mod:`.xmldoc`: text or bytes in any declared encoding, at most the frame limit;
  the C parser when there is no DTD, else defusedxml, which refuses it (no DTD,
  entity declaration or external reference);
- :mod:`.header`: sender, identifier, sent (required); msgType Alert, Update,
  Cancel, Ack, Error; status Actual, Exercise, System, Test (Draft refused); scope;
  ``references`` triplets;
- :mod:`.info`: every ``<info>`` block kept, the one shown chosen (French, English,
  else the first), translations told from different events;
- :mod:`.categories`: the risk category from ``event`` keywords and CAP codes;
- :mod:`.areas`: polygons and circles → ``Alert.area``, geocodes through a resolver,
  malformed geometry ignored with a warning;
- :mod:`.resources`: resource metadata (an embedded blob measured, not kept).

Any refusal is a :class:`~csu_console.errors.ValidationError` whose French reason
names the CAP field (``cap.status : brouillon (Draft) refusé…``).

Priority of a block (first matching row wins): severity Extreme or urgency Immediate
→ 1; Severe → 2; Moderate → 3; Minor → 4; otherwise the rule of its category. The
alert takes the most urgent of the events it shows. A message without ``<info>``
(Cancel, Ack, Error) is category AUTRE, priority 4, titled from its ``<note>``.
"""

from __future__ import annotations

from csu_console.core.cap.areas import MAX_CIRCLE_RADIUS_KM
from csu_console.core.cap.parser import parse_cap
from csu_console.core.cap.xmldoc import CAP_NAMESPACE, DSIG_NAMESPACE, MAX_CAP_BYTES

__all__ = [
    "CAP_NAMESPACE",
    "DSIG_NAMESPACE",
    "MAX_CAP_BYTES",
    "MAX_CIRCLE_RADIUS_KM",
    "parse_cap",
]
