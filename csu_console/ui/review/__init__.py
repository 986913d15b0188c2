"""The supervisor review: a separate window over a read-only view of the database
(period, filters, alert list, indicators, charts, map, exports), and the
end-of-shift digest shown when a shift is closed."""
