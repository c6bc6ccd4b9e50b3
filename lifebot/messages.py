"""Fixed texts shown to residents by more than one process."""

BUSY = "系统繁忙，请稍后再试"
# a chat message refused for coming too fast (per conversation in the channels, per address in nginx)
TOO_FAST = "您发得太快了，刚才这条没有收到。请过几秒再发一次，我会一条一条回答您。"
