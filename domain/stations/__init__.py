"""The home office's stations in the cities its workers go to: the directory a worker searches
(「我在深圳 有老乡站吗」) and staff keep (issue 16)."""
