"""Tiny ONNX graphs built with onnx.helper that emit known tensors: decoding is tested through
onnxruntime without any real model weights."""

from __future__ import annotations

import numpy as np
from onnx import TensorProto, helper, numpy_helper


def tiny_model(outputs: dict[str, np.ndarray]) -> bytes:
    """A graph whose outputs are fixed detections plus 0 * max(image), so they depend on the input."""
    nodes = [
        helper.make_node("ReduceMax", ["images"], ["peak"], keepdims=0),
        helper.make_node("Constant", [], ["zero"], value=numpy_helper.from_array(np.float32(0), "zero")),
        helper.make_node("Mul", ["peak", "zero"], ["nothing"]),
    ]
    for name, array in outputs.items():
        constant = numpy_helper.from_array(array.astype(np.float32), f"{name}_value")
        nodes.append(helper.make_node("Constant", [], [f"{name}_value"], value=constant))
        nodes.append(helper.make_node("Add", [f"{name}_value", "nothing"], [name]))
    graph = helper.make_graph(
        nodes,
        "tiny",
        [helper.make_tensor_value_info("images", TensorProto.FLOAT, ["B", 3, "H", "W"])],
        [
            helper.make_tensor_value_info(name, TensorProto.FLOAT, list(a.shape))
            for name, a in outputs.items()
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=9)
    return bytes(model.SerializeToString())
