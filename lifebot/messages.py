"""Fixed texts shown to residents by more than one process."""

BUSY = "系统繁忙，请稍后再试"
