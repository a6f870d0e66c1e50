"""Vacancies: what a worker asks for (``query``), how it is searched and ranked (``search``), how
offices' files are imported (``importer``) and how saved searches are announced (``alerts``)."""
