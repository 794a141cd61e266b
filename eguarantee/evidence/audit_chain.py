"""The audit log as a hash chain, checkpointed into the evidence tree. (Filled in below.)"""


def checkpoint():
    return None
