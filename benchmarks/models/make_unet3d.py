#!/usr/bin/env python3
"""Writes the benchmark's 3D segmentation network: a UNet of the shape MONAI users train (five levels, 16 to 256
channels, two 3x3x3 convolutions with ReLU per level, max pooling down, transposed convolutions up, skip
concatenations), input [1, 1, 128, 128, 128] CT in a soft-tissue window, output [1, 2, 128, 128, 128] softmax.

About 5.6 million parameters with fixed random weights (He initialisation, seed 19): what the model computes does not
matter to the benchmark, only what running it costs. Needs python3-onnx and python3-numpy (Debian); nothing is
downloaded.

    make_unet3d.py OUT.onnx      # also writes OUT.json, the sidecar with the input normalization and the label
"""
import json
import pathlib
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SIZE = 128
CHANNELS = [16, 32, 64, 128, 256]


class Builder:
    def __init__(self):
        self.nodes, self.weights, self.rng, self.count = [], [], np.random.default_rng(19), 0

    def name(self, prefix):
        self.count += 1
        return f"{prefix}{self.count}"

    def weight(self, shape, fan_in):
        name = self.name("w")
        self.weights.append(numpy_helper.from_array(
            (self.rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(np.float32), name))
        return name

    def bias(self, n):
        name = self.name("b")
        self.weights.append(numpy_helper.from_array(np.zeros(n, dtype=np.float32), name))
        return name

    def conv(self, x, cin, cout, kernel=3, relu=True):
        out = self.name("conv")
        pads = [kernel // 2] * 6
        self.nodes.append(helper.make_node("Conv", [x, self.weight([cout, cin] + [kernel] * 3, cin * kernel ** 3), self.bias(cout)], [out],
                                           kernel_shape=[kernel] * 3, pads=pads))
        if not relu:
            return out
        activated = self.name("relu")
        self.nodes.append(helper.make_node("Relu", [out], [activated]))
        return activated

    def block(self, x, cin, cout):
        return self.conv(self.conv(x, cin, cout), cout, cout)

    def down(self, x):
        out = self.name("pool")
        self.nodes.append(helper.make_node("MaxPool", [x], [out], kernel_shape=[2, 2, 2], strides=[2, 2, 2]))
        return out

    def up(self, x, cin, cout):
        out = self.name("up")
        self.nodes.append(helper.make_node("ConvTranspose", [x, self.weight([cin, cout, 2, 2, 2], cin * 8), self.bias(cout)], [out],
                                           kernel_shape=[2, 2, 2], strides=[2, 2, 2]))
        return out

    def concat(self, a, b):
        out = self.name("cat")
        self.nodes.append(helper.make_node("Concat", [a, b], [out], axis=1))
        return out


def build():
    b = Builder()
    x, skips, cin = "image", [], 1
    for c in CHANNELS[:-1]:
        x = b.block(x, cin, c)
        skips.append((x, c))
        x, cin = b.down(x), c
    x = b.block(x, cin, CHANNELS[-1])
    cin = CHANNELS[-1]
    for skip, c in reversed(skips):
        x = b.concat(b.up(x, cin, c), skip)
        x, cin = b.block(x, 2 * c, c), c
    logits = b.conv(x, cin, 2, kernel=1, relu=False)
    b.nodes.append(helper.make_node("Softmax", [logits], ["probability"], axis=1))

    shape = [1, 1, SIZE, SIZE, SIZE]
    graph = helper.make_graph(b.nodes, "unet3d-benchmark",
                              [helper.make_tensor_value_info("image", TensorProto.FLOAT, shape)],
                              [helper.make_tensor_value_info("probability", TensorProto.FLOAT, [1, 2, SIZE, SIZE, SIZE])],
                              b.weights)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="imagingrepo-benchmarks", ir_version=8)
    model.model_version = 1
    for key, value in {"name": "unet3d-benchmark", "version": "1.0.0", "manufacturer": "ImagingRepo benchmarks"}.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(model)
    parameters = sum(int(np.prod(w.dims)) for w in b.weights)
    return model, parameters


if __name__ == "__main__":
    target = pathlib.Path(sys.argv[1])
    model, parameters = build()
    onnx.save(model, str(target))
    sidecar = {
        "input": {"normalization": {"kind": "Window", "center": 40, "width": 400}},
        "labels": [{"value": 1, "name": "Organ",
                    "category": {"code": "91723000", "scheme": "SCT", "meaning": "Anatomical Structure"},
                    "type": {"code": "10200004", "scheme": "SCT", "meaning": "Liver"}}],
    }
    target.with_suffix(".json").write_text(json.dumps(sidecar, indent=2) + "\n")
    print(f"wrote {target}: {parameters} parameters")
