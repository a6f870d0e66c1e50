"""The rules Gongyou keeps, shared by the bot and the console: no Flask, no channel, no handler.

messages (the neutral InboundMessage / Reply), workers (identities, transcripts), crypto (personal data
sealed and masked), media (evidence files), dialogue (what a conversation remembers), cases/ (the case
vocabulary and lifecycle, clocks, grouping, hand-off, inspection report), vacancies/ (search, query,
import, alerts), outreach/ (messages we send first: the outbox and who to reach where), storage/
(database, models, migrations, Redis).
"""
