from . import services

# Every beat (WORKER_HEARTBEAT_SECONDS): sequence what after-commit missed, chain the audit
# log, sign a head for the grown tree, anchor the newest confirmed head when due.
EVERY_BEAT = [services.tick]
DAILY = []
