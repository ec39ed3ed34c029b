#!/usr/bin/env python3
"""Reference CPU timings for training small MLPs in PyTorch eager mode.

Modes (one JSON object per line on stdout):
  default        time one training step (forward + cross-entropy + backward +
                 SGD-with-momentum update) for each workload
  --activations  time activation functions (forward, forward+backward) on a
                 square float32 tensor
  --job NAME     run a whole small training job end to end and report its
                 time and final loss/accuracy (run it under GNU `time -v` to
                 include interpreter start-up and `import torch`)

FLOP count: 6 * params * batch per training step (2 for the forward
multiply-adds, 4 for the two backward products), params counting weights and
biases. It slightly over-counts: the first layer needs no input gradient.
"""
import argparse
import json
import math
import os
import statistics
import time

from workloads import WORKLOADS  # name -> (layer widths, batch, activation)
JOBS = {
    "tiny-2000": "train 'tiny' on a 2-class spiral for 2000 steps",
    "mnist-epoch": "train 'mnist' for one epoch of 60000 synthetic samples",
}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=int, default=2,
                   help="torch.set_num_threads value (default: 2)")
    p.add_argument("--workloads", default=",".join(WORKLOADS),
                   help="comma-separated subset of: " + ", ".join(WORKLOADS))
    p.add_argument("--min-time", type=float, default=2.0,
                   help="seconds of timed steps per workload (default: 2.0)")
    p.add_argument("--warmup", type=int, default=20,
                   help="untimed warm-up steps per workload (default: 20)")
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--activations", action="store_true",
                   help="time relu/sigmoid/tanh/gelu instead of training steps")
    p.add_argument("--act-shapes", default="4096x4096,128x256",
                   help="tensor shapes for --activations (default: 4096x4096,128x256;"
                   " the second is one hidden activation of the 'mnist' workload)")
    p.add_argument("--job", choices=sorted(JOBS),
                   help="run a whole training job: " +
                   "; ".join(f"{k}: {v}" for k, v in JOBS.items()))
    p.add_argument("--device", default="cpu",
                   help="torch device for the step workloads: cpu or cuda (default: cpu);"
                   " on cuda every step ends with torch.cuda.synchronize()")
    p.add_argument("--dataloader", action="store_true",
                   help="with --job mnist-epoch: batch through torch.utils.data."
                   "DataLoader(TensorDataset) instead of slicing a shuffled tensor")
    return p.parse_args()


def make_model(torch, dims, act):
    nn = torch.nn
    acts = {"relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "gelu": nn.GELU}
    layers = []
    for i in range(len(dims) - 1):
        layers.append(nn.Linear(dims[i], dims[i + 1]))
        if i < len(dims) - 2:
            layers.append(acts[act]())
    return nn.Sequential(*layers)


def spiral(torch, n, gen):
    """Two interleaved spiral arms in 2-D, labels 0/1."""
    t = torch.rand(n, generator=gen) * 3 * math.pi + 0.5
    y = torch.randint(0, 2, (n,), generator=gen)
    r = t / (3 * math.pi)
    ang = t + y * math.pi
    x = torch.stack([r * torch.cos(ang), r * torch.sin(ang)], 1)
    x = x + 0.02 * torch.randn(n, 2, generator=gen)
    return x, y


def synthetic(torch, n, dims, gen):
    """Gaussian inputs labelled by a fixed random linear teacher."""
    x = torch.randn(n, dims[0], generator=gen)
    teacher = torch.randn(dims[0], dims[-1], generator=gen)
    return x, (x @ teacher).argmax(1)


def data_for(torch, name, dims, n, gen):
    if name == "tiny":
        return spiral(torch, n, gen)
    return synthetic(torch, n, dims, gen)


def train_step(torch, model, opt, x, y):
    loss = torch.nn.functional.cross_entropy(model(x), y)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    if x.is_cuda:
        torch.cuda.synchronize()
    return loss


def bench_workload(torch, name, args):
    dims, batch, act = WORKLOADS[name]
    gen = torch.Generator().manual_seed(args.seed)
    torch.manual_seed(args.seed)
    model = make_model(torch, dims, act).to(args.device)
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    nb = 16  # a pool of pre-made batches, cycled, so data creation is not timed
    xs, ys = data_for(torch, name, dims, nb * batch, gen)
    xs, ys = xs.to(args.device), ys.to(args.device)
    batches = [(xs[i * batch:(i + 1) * batch], ys[i * batch:(i + 1) * batch])
               for i in range(nb)]
    for i in range(args.warmup):
        train_step(torch, model, opt, *batches[i % nb])
    times, cpu = [], []
    start = time.perf_counter()
    cpu0 = time.process_time()
    i = 0
    while time.perf_counter() - start < args.min_time or len(times) < 20:
        x, y = batches[i % nb]
        t0, c0 = time.perf_counter(), time.process_time()
        loss = train_step(torch, model, opt, x, y)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        i += 1
    wall = time.perf_counter() - start
    params = sum(p.numel() for p in model.parameters())
    med = statistics.median(times)
    flops = 6 * params * batch
    q = statistics.quantiles(times, n=10)
    return {
        "bench": "train_step", "impl": "torch-eager" if args.device == "cpu" else f"torch-{args.device}",
        "workload": name,
        "dims": dims, "batch": batch, "activation": act,
        "threads": torch.get_num_threads(), "params": params, "steps": len(times),
        "median_ms": round(med * 1e3, 4),
        "p10_ms": round(q[0] * 1e3, 4), "p90_ms": round(q[-1] * 1e3, 4),
        "samples_per_s": round(batch / med, 1),
        "gflops": round(flops / med / 1e9, 3),
        # median CPU time per step, all threads of the process together; with
        # 1 thread it estimates median_ms as it would be on an idle machine
        "cpu_ms": round(statistics.median(cpu) * 1e3, 4),
        "flops_per_step": flops,
        "cpu_util": round((time.process_time() - cpu0) / wall, 2),
        "final_loss": round(loss.item(), 4),
    }


def bench_activations(torch, args):
    gen = torch.Generator().manual_seed(args.seed)
    fns = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh,
           "gelu": torch.nn.functional.gelu}
    for shape in args.act_shapes.split(","):
        rows, cols = (int(v) for v in shape.split("x"))
        x = torch.randn(rows, cols, generator=gen).requires_grad_()
        g = torch.randn(rows, cols, generator=gen)
        results = {}
        for name, fn in fns.items():
            def fwd():
                with torch.no_grad():
                    fn(x)

            def fwd_bwd():
                x.grad = None
                fn(x).backward(g)

            res = {}
            for label, f in (("fwd", fwd), ("fwd_bwd", fwd_bwd)):
                for _ in range(3):
                    f()
                times = []
                t_end = time.perf_counter() + args.min_time / 4
                while time.perf_counter() < t_end or len(times) < 10:
                    t0 = time.perf_counter()
                    f()
                    times.append(time.perf_counter() - t0)
                res[label + "_ms"] = round(statistics.median(times) * 1e3, 4)
            results[name] = res
        for name, res in results.items():
            print(json.dumps({
                "bench": "activation", "fn": name, "shape": [rows, cols],
                "threads": torch.get_num_threads(), **res,
                "fwd_vs_relu": round(res["fwd_ms"] / results["relu"]["fwd_ms"], 2),
                "fwd_bwd_vs_relu": round(res["fwd_bwd_ms"] / results["relu"]["fwd_bwd_ms"], 2),
            }), flush=True)


def run_job(torch, args):
    gen = torch.Generator().manual_seed(args.seed)
    torch.manual_seed(args.seed)
    t_start = time.perf_counter()
    if args.job == "tiny-2000":
        name, n, steps = "tiny", 4096, 2000
    else:
        name, n, steps = "mnist", 60000, None
    dims, batch, act = WORKLOADS[name]
    x, y = data_for(torch, name, dims, n, gen)
    model = make_model(torch, dims, act)
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=args.momentum)
    t_train = time.perf_counter()
    done = 0
    if args.dataloader:
        ds = torch.utils.data.TensorDataset(x, y)
        loader = torch.utils.data.DataLoader(ds, batch_size=batch, shuffle=True, generator=gen)
        for xb, yb in loader:
            train_step(torch, model, opt, xb, yb)
            done += 1
    else:
        perm = torch.randperm(n, generator=gen)
        pos = 0
        while (steps is None and pos < n) or (steps is not None and done < steps):
            if steps is not None and pos >= n:  # new epoch for the step-count job
                perm, pos = torch.randperm(n, generator=gen), 0
            idx = perm[pos:pos + batch]
            train_step(torch, model, opt, x[idx], y[idx])
            pos += batch
            done += 1
    t_end = time.perf_counter()
    with torch.no_grad():
        logits = model(x)
        loss = torch.nn.functional.cross_entropy(logits, y).item()
        acc = (logits.argmax(1) == y).float().mean().item()
    print(json.dumps({
        "bench": "job", "impl": "torch-eager", "job": args.job,
        "threads": torch.get_num_threads(), "dataloader": args.dataloader,
        "steps": done, "train_s": round(t_end - t_train, 3),
        "ms_per_step": round((t_end - t_train) / done * 1e3, 4),
        "setup_s": round(t_train - t_start, 3),
        "train_loss": round(loss, 4), "train_acc": round(acc, 4),
        "import_torch_s": round(IMPORT_S, 3),
    }), flush=True)


def main():
    args = parse_args()
    global IMPORT_S
    t0 = time.perf_counter()
    import torch
    IMPORT_S = time.perf_counter() - t0
    torch.set_num_threads(args.threads)
    print(json.dumps({"bench": "env", "torch": torch.__version__,
                      "threads": torch.get_num_threads(),
                      "cpu_capability": torch.backends.cpu.get_cpu_capability(),
                      "import_torch_s": round(IMPORT_S, 3),
                      "loadavg1": os.getloadavg()[0]}), flush=True)
    if args.job:
        run_job(torch, args)
    elif args.activations:
        bench_activations(torch, args)
    else:
        for name in args.workloads.split(","):
            print(json.dumps(bench_workload(torch, name, args)), flush=True)


IMPORT_S = 0.0

if __name__ == "__main__":
    main()
