print("renkei-bench: no workloads yet")
