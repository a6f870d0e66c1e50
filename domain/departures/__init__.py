"""Organised departures (有组织外出): batches of workers the office sends together, which a worker
finds, joins with a number and is reminded of the day before (roll call), and staff message."""
