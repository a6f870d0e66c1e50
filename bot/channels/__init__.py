"""Channel adapters: verify, parse into an InboundMessage, run the pipeline, render the Reply."""
