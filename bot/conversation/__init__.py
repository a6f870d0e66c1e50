"""A message's way through the bot: the pipeline (dedupe, record, understand, answer, page), the
dialogue rules in order (``understand``), paging to a channel's budget, de-duplication of retries."""
