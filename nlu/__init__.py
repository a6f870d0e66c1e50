"""Language understanding: the Rasa project (config.yml, data/, dict/) and its client."""
