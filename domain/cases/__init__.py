"""Cases: complaints, wage-arrears reports and hand-offs — their vocabulary (kinds, statuses, clocks;
``vocabulary.py`` is the only place they are spelled), lifecycle, working-day clocks, grouping by
employer, hand-off to staff, and the inspection report."""
