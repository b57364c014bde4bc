#!/usr/bin/env python3
"""Writes the files people mistake for a checkpoint, each made by the program that makes them
for real, for tst_bad_inputs (what the checkpoint reader says of each) and the window tests:

    /usr/bin/python3 tests/data/foreign/make_foreign_files.py

Needs Debian's python3-torch (1.13), python3-numpy, python3-h5py and python3-pil. The files
are small (a 6 x 4 embedding and a 4 x 4 LSTM layer) and deterministic up to the tools'
own timestamps; the test only reads what each file is.
"""
import io
import os
import zipfile

import h5py
import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))


def path(name):
    return os.path.join(HERE, name)


torch.manual_seed(1)
state = {
    "encoder.weight": torch.randn(6, 4),
    "rnn.weight_ih_l0": torch.randn(16, 4),
    "rnn.weight_hh_l0": torch.randn(16, 4),
    "decoder.weight": torch.randn(6, 4),
    "decoder.bias": torch.zeros(6),
}

# PyTorch: torch.save's ZIP format (the default since 1.6) and its legacy pickle format.
torch.save(state, path("model.pt"))
torch.save(state, path("model_legacy.pth"), _use_new_zipfile_serialization=False)

# NumPy: one array, and an archive of arrays.
embedding = state["encoder.weight"].numpy()
np.save(path("embedding.npy"), embedding)
np.savez(path("embedding.npz"), embedding=embedding, decoder=state["decoder.weight"].numpy())

# Keras-style HDF5 weights: the layout Keras 2 writes for an Embedding layer.
with h5py.File(path("model.h5"), "w") as f:
    g = f.create_group("model_weights/embedding/embedding")
    g.create_dataset("embeddings:0", data=embedding)
    f.attrs["keras_version"] = "2.11.0"
    f.attrs["backend"] = "tensorflow"

# Keras 3 .keras: a ZIP holding config.json, metadata.json and model.weights.h5.
weights = io.BytesIO()
with h5py.File(weights, "w") as f:
    f.create_dataset("layers/embedding/vars/0", data=embedding)
with zipfile.ZipFile(path("model.keras"), "w") as z:
    z.writestr("metadata.json", '{"keras_version": "3.0.0"}')
    z.writestr("config.json", '{"class_name": "Sequential"}')
    z.writestr("model.weights.h5", weights.getvalue())

# Images.
image = Image.new("RGB", (16, 16), (200, 120, 40))
image.save(path("picture.png"))
image.save(path("picture.jpg"), quality=90)

# An ordinary ZIP archive.
with zipfile.ZipFile(path("archive.zip"), "w") as z:
    z.writestr("readme.txt", "not a model\n")
