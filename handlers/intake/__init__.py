"""Case intake forms: complaints and wage-arrears reports."""
