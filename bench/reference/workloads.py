"""The reference workloads, shared by torch_mlp.py and numpy_mlp.py (and mirrored by crates/bench/src/workload.rs).

name -> (layer widths, batch, activation)
"""
WORKLOADS = {
    "tiny": ([2, 64, 64, 2], 256, "relu"),
    "digits": ([64, 128, 128, 10], 128, "relu"),
    "mnist": ([784, 256, 256, 10], 128, "relu"),
    "wide": ([784, 1024, 1024, 1024, 10], 256, "relu"),
    "deep-relu": ([784] + [256] * 10 + [10], 128, "relu"),
    "deep-sigmoid": ([784] + [256] * 10 + [10], 128, "sigmoid"),
    "deep-tanh": ([784] + [256] * 10 + [10], 128, "tanh"),
}
