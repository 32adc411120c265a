#!/usr/bin/env python3
"""Builds the small ONNX models the inference tests run, with fixed weights, into the folder given.

Needs python3-onnx (Debian). Every model is deterministic: the same bytes on every run.
"""
import json
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = [helper.make_opsetid("", 13)]


def save(graph, path, metadata=None, producer="imagingrepo-tests"):
    model = helper.make_model(graph, opset_imports=OPSET, producer_name=producer, ir_version=8)
    model.model_version = 3
    for key, value in (metadata or {}).items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(model)
    onnx.save(model, path)


def threshold_segmenter(path, spatial, threshold=0.5):
    """probability = 1 where the (normalised) input exceeds the threshold, else 0: a segmenter whose answer is known."""
    shape = ["N", 1] + spatial
    x = helper.make_tensor_value_info("image", TensorProto.FLOAT, shape)
    y = helper.make_tensor_value_info("probability", TensorProto.FLOAT, shape)
    t = numpy_helper.from_array(np.array(threshold, dtype=np.float32), "threshold")
    nodes = [
        helper.make_node("Greater", ["image", "threshold"], ["mask"]),
        helper.make_node("Cast", ["mask"], ["probability"], to=TensorProto.FLOAT),
    ]
    graph = helper.make_graph(nodes, "threshold-segmenter", [x], [y], [t])
    labels = [{"value": 1, "name": "Bright",
               "category": {"code": "91723000", "scheme": "SCT", "meaning": "Anatomical Structure"},
               "type": {"code": "10200004", "scheme": "SCT", "meaning": "Liver"}}]
    save(graph, path, {"name": "threshold-segmenter", "version": "1.0.0", "manufacturer": "ImagingRepo tests",
                       "labels": json.dumps(labels)})


def two_class_segmenter(path, spatial, threshold=0.5):
    """The threshold segmenter as two channels, background then foreground ([1 - m, m]): the usual softmax layout."""
    x = helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 1] + spatial)
    y = helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 2] + spatial)
    t = numpy_helper.from_array(np.array(threshold, dtype=np.float32), "threshold")
    one = numpy_helper.from_array(np.array(1.0, dtype=np.float32), "one")
    nodes = [
        helper.make_node("Greater", ["image", "threshold"], ["above"]),
        helper.make_node("Cast", ["above"], ["foreground"], to=TensorProto.FLOAT),
        helper.make_node("Sub", ["one", "foreground"], ["background"]),
        helper.make_node("Concat", ["background", "foreground"], ["probabilities"], axis=1),
    ]
    save(helper.make_graph(nodes, "two-class-segmenter", [x], [y], [t, one]), path)


def tiny_classifier(path):
    """[N,1,8,8] -> mean -> two logits with fixed weights -> softmax: class 1 wins when the mean is above 0.5."""
    x = helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 1, 8, 8])
    y = helper.make_tensor_value_info("scores", TensorProto.FLOAT, ["N", 2])
    w = numpy_helper.from_array(np.array([[-4.0, 4.0]], dtype=np.float32), "w")
    b = numpy_helper.from_array(np.array([2.0, -2.0], dtype=np.float32), "b")
    nodes = [
        helper.make_node("GlobalAveragePool", ["image"], ["pooled"]),
        helper.make_node("Flatten", ["pooled"], ["flat"], axis=1),
        helper.make_node("Gemm", ["flat", "w", "b"], ["logits"]),
        helper.make_node("Softmax", ["logits"], ["scores"], axis=1),
    ]
    save(helper.make_graph(nodes, "tiny-classifier", [x], [y], [w, b]), path)


def half_doubler(path):
    """A float16 input [N,1,4,4] doubled: proves float16 conversion in and out."""
    x = helper.make_tensor_value_info("image", TensorProto.FLOAT16, ["N", 1, 4, 4])
    y = helper.make_tensor_value_info("doubled", TensorProto.FLOAT16, ["N", 1, 4, 4])
    nodes = [helper.make_node("Add", ["image", "image"], ["doubled"])]
    save(helper.make_graph(nodes, "half-doubler", [x], [y]), path)


def argmax_labels(path):
    """[1,3,4,4] scores -> int64 label map [1,1,4,4]: an output whose shape and type ONNX Runtime allocates."""
    x = helper.make_tensor_value_info("scores", TensorProto.FLOAT, [1, 3, 4, 4])
    y = helper.make_tensor_value_info("labels", TensorProto.INT64, ["A", "B", "C", "D"])
    nodes = [helper.make_node("ArgMax", ["scores"], ["labels"], axis=1, keepdims=1)]
    save(helper.make_graph(nodes, "argmax-labels", [x], [y]), path)


if __name__ == "__main__":
    folder = sys.argv[1]
    threshold_segmenter(f"{folder}/threshold2d.onnx", ["H", "W"])
    threshold_segmenter(f"{folder}/threshold2d_fixed.onnx", [32, 32])
    threshold_segmenter(f"{folder}/threshold3d.onnx", [8, 16, 16])
    two_class_segmenter(f"{folder}/twoclass2d_fixed.onnx", [32, 32])
    tiny_classifier(f"{folder}/classifier.onnx")
    half_doubler(f"{folder}/half.onnx")
    argmax_labels(f"{folder}/argmax.onnx")
