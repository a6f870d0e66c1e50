"""The subsidies the seeds name (issue 16): who may have them, what to bring, applications and the public list."""
