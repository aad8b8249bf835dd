print("renkei-hub: not yet wired")
