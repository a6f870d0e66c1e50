"""Training the labour-export office runs: courses a worker finds by trade and date (``catalogue``),
and sign-ups with a number, a reminder the day before and the certificate's status (``signups``)."""
