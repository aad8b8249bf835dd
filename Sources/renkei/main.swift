print("renkei: not yet wired")
