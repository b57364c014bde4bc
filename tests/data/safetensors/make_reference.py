#!/usr/bin/python3
"""Writes reference.safetensors, the fixture tst_safetensors reads.

The layout follows the reference implementation (huggingface/safetensors,
safetensors/src/tensor.rs, `prepare`): tensors sorted by descending dtype
alignment, then by name; header as compact JSON with "__metadata__" first and
raw UTF-8; header padded with spaces to a multiple of 8 bytes; little-endian
data. The safetensors package is not needed, only torch.

Run from anywhere:  /usr/bin/python3 tests/data/safetensors/make_reference.py
"""
import json
import os
import struct

import torch

# Declaration order of `Dtype` in the reference (increasing alignment).
DTYPE_ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16",
               "BF16", "I32", "U32", "F32", "F64", "I64", "U64"]
DTYPE_NAMES = {torch.float64: "F64", torch.float32: "F32", torch.float16: "F16",
               torch.bfloat16: "BF16", torch.int64: "I64", torch.int32: "I32"}

tensors = {
    "embedding.weight": torch.arange(12, dtype=torch.float32).reshape(3, 4) * 0.25 - 1.0,
    "lstm.bias": torch.tensor([0.1, -2.5, 1e-300, 3.141592653589793, 1e300],
                              dtype=torch.float64),
    # 1, -2, largest half, smallest normal half, smallest subnormal half, -0
    "half": torch.tensor([[1.0, -2.0, 65504.0], [2.0**-14, 2.0**-24, -0.0]],
                         dtype=torch.float16),
    "brain": torch.tensor([1.0, -3.140625, 2.0**100, 0.0078125], dtype=torch.bfloat16),
    "step": torch.tensor(42, dtype=torch.int64),
    "ids": torch.tensor([1, -2, 3], dtype=torch.int32),
    "scalar": torch.tensor(7.5, dtype=torch.float32),
    "empty": torch.zeros((0, 4), dtype=torch.float32),
}
metadata = {"format": "pt", "note": "fixture \u00e9 \"quoted\""}


def raw_bytes(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16:  # numpy has no bfloat16
        t = t.view(torch.int16)
    return t.numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()


order = sorted(tensors.items(),
               key=lambda kv: (-DTYPE_ORDER.index(DTYPE_NAMES[kv[1].dtype]), kv[0]))
header = {"__metadata__": metadata}
chunks = []
offset = 0
for name, t in order:
    data = raw_bytes(t)
    header[name] = {"dtype": DTYPE_NAMES[t.dtype], "shape": list(t.shape),
                    "data_offsets": [offset, offset + len(data)]}
    chunks.append(data)
    offset += len(data)

text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
text += b" " * ((8 - len(text) % 8) % 8)
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.safetensors")
with open(out, "wb") as f:
    f.write(struct.pack("<Q", len(text)))
    f.write(text)
    for data in chunks:
        f.write(data)
print(out, 8 + len(text) + offset, "bytes")
