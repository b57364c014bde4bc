#!/usr/bin/python3
"""Writes the TensorBoard event file fixtures that tst_runlog reads.

The Event messages are built and serialized by Google's protocol buffer library
(Debian: python3-protobuf) from event_subset.proto, which copies the field
numbers of TensorBoard's tensorboard/compat/proto/*.proto; protoc (Debian:
protobuf-compiler) compiles it into a temporary folder. The TFRecord framing
follows tensorboard/summary/writer/record_writer.py; its CRC-32C is computed
here bit by bit, independently of the table-driven C++ one.

  reference.tfevents  a file_version event, scalars (one and several per
                      event, step 0, negative and 2^40-sized steps, -0, a
                      float32 subnormal, the largest float32, -inf, an empty
                      and a non-ASCII tag), values that are not simple_value
                      (a histogram, a TF2-style scalar tensor with plugin
                      metadata), a session log, a graph_def, and fields no
                      TensorBoard message has (wire types 0, 1, 2 and 5) in an
                      Event and in a Summary.Value.
  simple.tfevents     only what EventFileWriter writes: file_version, then
                      scalar events; tst_runlog encodes the same events and
                      compares the bytes.
  expected.json       what a reader must find in both, as the protobuf
                      library parses them back.

Run from anywhere:  /usr/bin/python3 tests/data/runlog/make_events.py
"""
import importlib
import json
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def load_messages():
    out = tempfile.mkdtemp(prefix="event_subset_")
    subprocess.run(["protoc", "--proto_path=" + HERE, "--python_out=" + out,
                    "event_subset.proto"], check=True)
    sys.path.insert(0, out)
    return importlib.import_module("event_subset_pb2")


def crc32c(data):
    """CRC-32C (Castagnoli), reflected, one bit at a time."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def masked_crc32c(data):
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def frame(data):
    header = struct.pack("<Q", len(data))
    return (header + struct.pack("<I", masked_crc32c(header)) + data
            + struct.pack("<I", masked_crc32c(data)))


def float_bits(value):
    return "0x%08x" % struct.unpack("<I", struct.pack("<f", value))[0]


def expectation(pb, records):
    """What the records hold, as the protobuf library parses them."""
    file_version = ""
    scalars = []
    for data in records:
        event = pb.Event()
        event.ParseFromString(data)
        what = event.WhichOneof("what")
        if what == "file_version" and not file_version:
            file_version = event.file_version
        if what != "summary":
            continue
        for value in event.summary.value:
            if value.WhichOneof("value") == "simple_value":
                scalars.append({"wall_time": event.wall_time, "step": event.step,
                                "tag": value.tag,
                                "value": repr(value.simple_value),
                                "value_bits": float_bits(value.simple_value)})
    return {"file_version": file_version, "records": len(records), "scalars": scalars}


def scalar_event(pb, wall_time, step, values):
    event = pb.Event(wall_time=wall_time, step=step)
    event.summary.SetInParent()
    for tag, value in values:
        event.summary.value.add(tag=tag, simple_value=value)
    return event


def reference_records(pb):
    future = pb.FutureFields(future_varint=300, future_fixed64=0x0123456789ABCDEF,
                             future_bytes=b"\x00\x01 not a TensorBoard field",
                             future_fixed32=0xDEADBEEF).SerializeToString()
    records = []

    first = pb.Event(wall_time=1700000000.25, file_version="brain.Event:2")
    first.source_metadata.writer = "make_events.py"
    records.append(first.SerializeToString())

    records.append(scalar_event(pb, 1700000001.5, 0, [("loss", 2.5)]).SerializeToString())

    event = scalar_event(pb, 1700000002.125, 1, [("loss", 2.25)])
    histogram = event.summary.value.add(tag="weights/histogram")
    histogram.histo.min = -1.5
    histogram.histo.max = 2.0
    histogram.histo.num = 10
    histogram.histo.bucket_limit.extend([0.0, 1.0, 2.0])
    histogram.histo.bucket.extend([3, 5, 2])
    event.summary.value.add(tag="lr", simple_value=0.1)
    records.append(event.SerializeToString())

    event = pb.Event(wall_time=1700000003.0, step=2)
    tensor = event.summary.value.add(tag="tf2/loss")
    tensor.metadata.plugin_data.plugin_name = "scalars"
    tensor.metadata.data_class = 1
    tensor.tensor.dtype = 1
    tensor.tensor.tensor_shape.SetInParent()
    tensor.tensor.float_val.append(0.75)
    accuracy = event.summary.value.add(tag="accuracy", simple_value=0.5)
    accuracy.node_name = "old/node"
    accuracy.metadata.display_name = "Accuracy"
    records.append(event.SerializeToString())

    # Unknown fields inside a Summary.Value and after an Event's own fields.
    value = pb.Summary.Value()
    value.ParseFromString(
        pb.Summary.Value(tag="loss", simple_value=1.75).SerializeToString() + future)
    event = pb.Event(wall_time=1700000004.0625, step=3)
    event.summary.value.append(value)
    records.append(event.SerializeToString() + future)

    event = pb.Event(wall_time=1700000005.0, step=4)
    event.session_log.status = pb.SessionLog.START
    event.session_log.msg = "restarted"
    records.append(event.SerializeToString())

    records.append(pb.Event(wall_time=1700000006.0, step=4,
                            graph_def=b"\x0a\x03\x0a\x01x").SerializeToString())

    records.append(scalar_event(pb, 1700000007.75, 2**40 + 3,
                                [("edge/minus_zero", -0.0),
                                 ("edge/subnormal", 1e-40),
                                 ("edge/max", 3.4028234663852886e38),
                                 ("edge/minus_inf", float("-inf"))]).SerializeToString())
    records.append(scalar_event(pb, 1700000008.5, -7,
                                [("", 1.0), ("损失/训练", 0.125)]).SerializeToString())
    return records


def simple_events():
    """The events of simple.tfevents as (wall_time, step, [(tag, value)]); the first one is
    the file_version event."""
    return [(1700000100.0, None, None),
            (1700000100.5, 0, [("loss", 6.25)]),
            (1700000101.25, 1, [("loss", 5.5), ("perplexity", 244.69193)]),
            (1700000102.0, 2, [("train/loss", 5.125), ("train/lr", 20.0),
                               ("valid/loss", 5.3)]),
            (1700000103.875, 1000000, [("loss", 0.0)]),
            (1700000104.0, -2, [("loss", -1.5)])]


def main():
    pb = load_messages()
    assert crc32c(b"123456789") == 0xE3069283

    records = reference_records(pb)
    with open(os.path.join(HERE, "reference.tfevents"), "wb") as f:
        for data in records:
            f.write(frame(data))

    simple = []
    for wall_time, step, values in simple_events():
        if values is None:
            event = pb.Event(wall_time=wall_time, file_version="brain.Event:2")
        else:
            event = scalar_event(pb, wall_time, step, values)
        simple.append(event.SerializeToString())
    with open(os.path.join(HERE, "simple.tfevents"), "wb") as f:
        for data in simple:
            f.write(frame(data))

    expected = {
        "generator": "tests/data/runlog/make_events.py",
        "crc32c_123456789": "0x%08x" % crc32c(b"123456789"),
        "reference": expectation(pb, records),
        "simple": {
            "file_version_wall_time": simple_events()[0][0],
            "events": [{"wall_time": wall_time, "step": step,
                        "values": [[tag, float_bits(value)] for tag, value in values]}
                       for wall_time, step, values in simple_events()[1:]],
            **expectation(pb, simple),
        },
    }
    with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
