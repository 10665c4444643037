"""gRPC stubs for the stand-in, generated from the .proto files in proto/ with the pinned grpcio-tools.

They are generated at build time into a throw-away directory rather than committed: the .proto files are the
only source, and the generated code always matches the installed (pinned) protobuf runtime.
"""
from __future__ import annotations

import os

PROTO_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "proto")
PROTOS = ("tfplugin5.proto", "goplugin.proto", "health.proto")


class StubError(RuntimeError):
    pass


def generate(dest: str) -> str:
    """Writes <name>_pb2.py and <name>_pb2_grpc.py for every proto into dest; returns dest."""
    from grpc_tools import protoc  # the build-time dependency only; the server needs grpcio + protobuf

    os.makedirs(dest, exist_ok=True)
    for proto in PROTOS:
        rc = protoc.main(["grpc_tools.protoc", f"-I{PROTO_DIR}", f"--python_out={dest}",
                          f"--grpc_python_out={dest}", os.path.join(PROTO_DIR, proto)])
        if rc != 0:
            raise StubError(f"protoc failed on {proto} (exit {rc})")
    return dest
