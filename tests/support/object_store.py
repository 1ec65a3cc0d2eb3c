"""A real S3-compatible server for the tests: moto's server over HTTP on a free loopback
port, in a thread of the test process; boto3 (and every process the test starts) reaches it
by its endpoint URL, as a service reaches SeaweedFS or AWS."""
from __future__ import annotations

import uuid
from contextlib import contextmanager
from dataclasses import dataclass

from tests.support.infra import free_port

ACCESS_KEY_ID, SECRET_ACCESS_KEY, REGION = "test-access-key", "test-secret-key", "us-east-1"


@dataclass(frozen=True)
class ObjectStore:
    endpoint_url: str
    bucket: str

    def client(self):
        import boto3

        return boto3.session.Session().client(
            "s3", endpoint_url=self.endpoint_url, region_name=REGION,
            aws_access_key_id=ACCESS_KEY_ID, aws_secret_access_key=SECRET_ACCESS_KEY)

    def object_keys(self) -> list[str]:
        listed = self.client().list_objects_v2(Bucket=self.bucket)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client().get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def env(self) -> dict[str, str]:
        """The settings a service reads (services/shared/platform/config.py)."""
        return {"STORAGE_BACKEND": "s3", "S3_ENDPOINT_URL": self.endpoint_url,
                "S3_BUCKET": self.bucket, "S3_REGION": REGION,
                "S3_ACCESS_KEY_ID": ACCESS_KEY_ID, "S3_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY}


@contextmanager
def object_store():
    """A moto S3 server with one empty bucket; stopped afterwards."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        store = ObjectStore(f"http://127.0.0.1:{port}", f"documents-{uuid.uuid4().hex[:8]}")
        store.client().create_bucket(Bucket=store.bucket)
        yield store
    finally:
        server.stop()
