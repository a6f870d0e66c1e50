"""The home office's register of its workers (实名登记) and the ledger staff keep from it (issue 16)."""
