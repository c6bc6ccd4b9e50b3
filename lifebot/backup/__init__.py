"""Back up and restore what cannot be rebuilt: the catalog database (catalog, history, bookings,
tickets, staff accounts, audit and search logs), the Rasa tracker store and the installed domain
model's card, with a manifest of versions and checksums.

Not backed up, because `lifebot setup` / `make model` rebuild them: the search index, the trained
Rasa model, the jieba dictionary, the embedding cache, the tuned model's weights, logs.
"""

from lifebot.backup.create import make_backup
from lifebot.backup.errors import BackupError
from lifebot.backup.restore import restore_backup

__all__ = ["BackupError", "make_backup", "restore_backup"]
