"""Load a SafeTensors file exported by `trainer export` into a plain PyTorch MLP and compare its logits with
Burn's (written by `cargo run --release --example pytorch_export -- PRESET DIR`). Needs torch and safetensors.

    python docs/check_pytorch.py target/pytorch-check
"""
import json
import sys

import torch
from safetensors.torch import load_file
from torch import nn

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "identity": nn.Identity,
               "gelu": nn.GELU, "elu": nn.ELU, "softplus": nn.Softplus, "silu": nn.SiLU}


class Mlp(nn.Module):
    """The same network as zoo_models::Mlp: Linear layers, the activation between them, logits out."""

    def __init__(self, widths, activation):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(widths, widths[1:]))
        self.activation = ACTIVATIONS[activation]()

    def forward(self, x):
        for layer in self.layers[:-1]:
            x = self.activation(layer(x))
        return self.layers[-1](x)


def main(folder):
    check = json.load(open(f"{folder}/check.json"))
    model = Mlp(check["widths"], check["activation"])
    model.load_state_dict(load_file(f"{folder}/model.safetensors"))  # strict: every name and shape must fit
    x = torch.tensor(check["x"], dtype=torch.float32).reshape(check["n"], check["widths"][0])
    with torch.no_grad():
        logits = model(x)
    burn = torch.tensor(check["logits"], dtype=torch.float32).reshape(logits.shape)
    diff = (logits - burn).abs().max().item()
    print(f"{check['preset']}: max |PyTorch - Burn| = {diff:.3g} over {logits.numel()} logits")
    sys.exit(0 if diff <= 1e-5 else 1)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "target/pytorch-check")
