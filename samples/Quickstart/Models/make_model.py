#!/usr/bin/env python3
"""Writes soft-tissue.onnx, the small model the Quickstart runs on CPU (needs python3-onnx; Debian: apt install python3-onnx).

The Quickstart must run on a machine with nothing but the .NET SDK, so the generated file is committed beside this
script and embedded in the sample; run this again only to change the model. The output is byte-for-byte the same on
every run.

The model is a 2D segmenter a newcomer can check by eye: a CT slice in Hounsfield units in, [N, 1, H, W], and a
probability out, 1 where the value is above -500 HU (soft tissue rather than air), else 0. Its name, version,
manufacturer and coded label travel in the ONNX metadata, where ImagingRepo.Inference reads them.
"""
import json
import pathlib
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def build():
    shape = ["N", 1, "H", "W"]
    image = helper.make_tensor_value_info("image", TensorProto.FLOAT, shape)
    probability = helper.make_tensor_value_info("probability", TensorProto.FLOAT, shape)
    threshold = numpy_helper.from_array(np.array(-500.0, dtype=np.float32), "threshold_hu")
    nodes = [
        helper.make_node("Greater", ["image", "threshold_hu"], ["above"]),
        helper.make_node("Cast", ["above"], ["probability"], to=TensorProto.FLOAT),
    ]
    graph = helper.make_graph(nodes, "soft-tissue", [image], [probability], [threshold])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="imagingrepo-quickstart",
                              ir_version=8)
    model.model_version = 1
    labels = [{"value": 1, "name": "Soft tissue",
               "category": {"code": "85756007", "scheme": "SCT", "meaning": "Tissue"},
               "type": {"code": "87784001", "scheme": "SCT", "meaning": "Soft tissue"}}]
    for key, value in {"name": "quickstart-soft-tissue", "version": "1.0.0", "manufacturer": "ImagingRepo Quickstart",
                       "description": "CT voxels above -500 HU", "labels": json.dumps(labels)}.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(model)
    return model


if __name__ == "__main__":
    target = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(__file__).with_name("soft-tissue.onnx")
    onnx.save(build(), str(target))
    print(f"wrote {target}")
