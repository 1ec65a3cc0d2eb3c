"""Documents in S3-compatible object storage (issue 12): ``ObjectStorage`` against a real S3
server over HTTP (moto's, started by the test), behind the interface the local directory
implements: content-addressed by sha256, the same bytes stored once, a missing document the
same error as on disk, and ``default_storage`` choosing it from STORAGE_BACKEND=s3."""
from __future__ import annotations

import hashlib

import pytest
from botocore.exceptions import ClientError

from services.shared.platform import config, storage
from services.shared.platform.storage import LocalDirectoryStorage, ObjectStorage
from tests.support.api import PDF, PNG
from tests.support.object_store import ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY, object_store


@pytest.fixture(scope="module")
def store():
    with object_store() as running:
        yield running


def replica(store, bucket: str | None = None) -> ObjectStorage:
    """The storage as one service process makes it: its own client, the shared bucket."""
    return ObjectStorage(bucket or store.bucket, endpoint_url=store.endpoint_url, region=REGION,
                         access_key_id=ACCESS_KEY_ID, secret_access_key=SECRET_ACCESS_KEY)


def key_of(content: bytes) -> str:
    digest = hashlib.sha256(content).hexdigest()
    return f"{digest[:2]}/{digest[2:4]}/{digest}"


def test_a_document_put_by_one_replica_is_read_by_another(store):
    content = PDF + b"one replica"
    digest = replica(store).put(content)
    assert digest == hashlib.sha256(content).hexdigest()
    assert key_of(content) in store.object_keys()  # the local directory's layout
    assert store.read(key_of(content)) == content
    assert replica(store).get(digest) == content


def test_the_same_bytes_are_stored_once(store):
    content = PNG + b"twice"
    first, second = replica(store), replica(store)
    uploads = []
    for one in (first, second):
        one.client.meta.events.register("before-call.s3.PutObject",
                                        lambda **kwargs: uploads.append(kwargs))
    assert first.put(content) == second.put(content) == first.put(content)
    assert len(uploads) == 1  # the later puts found the key and sent nothing
    assert [key for key in store.object_keys() if key == key_of(content)] == [key_of(content)]
    assert second.get(hashlib.sha256(content).hexdigest()) == content


def test_a_missing_document_is_the_same_error_as_on_disk(store, tmp_path):
    absent = hashlib.sha256(b"never stored").hexdigest()
    with pytest.raises(FileNotFoundError):
        replica(store).get(absent)
    with pytest.raises(FileNotFoundError):
        LocalDirectoryStorage(tmp_path).get(absent)
    for name in ("../../etc/passwd", absent.upper(), absent[:-1]):
        with pytest.raises(ValueError):
            replica(store).get(name)


def test_a_missing_bucket_is_not_a_missing_document(store):
    """A wrong S3_BUCKET is a fault of the set-up, reported as such, not "no such file"."""
    wrong = replica(store, bucket="no-such-bucket")
    with pytest.raises(ClientError) as raised:
        wrong.get(hashlib.sha256(b"x").hexdigest())
    assert raised.value.response["Error"]["Code"] == "NoSuchBucket"
    with pytest.raises(ClientError):
        wrong.put(b"x")


def test_default_storage_is_the_object_store_when_storage_backend_is_s3(store, monkeypatch,
                                                                         tmp_path):
    monkeypatch.setenv("UPLOADS_DIR", str(tmp_path / "uploads"))
    for name, value in store.env().items():
        monkeypatch.setenv(name, value)
    chosen = storage.default_storage()
    assert isinstance(chosen, ObjectStorage) and chosen.bucket == store.bucket
    digest = chosen.put(PDF + b"default")
    assert key_of(PDF + b"default") in store.object_keys()
    assert replica(store).get(digest) == PDF + b"default"
    assert not (tmp_path / "uploads").exists()  # nothing on the local disk

    monkeypatch.setenv("STORAGE_BACKEND", "S3 ")  # as an operator may write it
    assert isinstance(storage.default_storage(), ObjectStorage)
    monkeypatch.delenv("STORAGE_BACKEND")
    assert isinstance(storage.default_storage(), LocalDirectoryStorage)
    monkeypatch.setenv("STORAGE_BACKEND", "local")
    assert isinstance(storage.default_storage(), LocalDirectoryStorage)


def test_object_store_settings_refuse_what_cannot_work(monkeypatch):
    monkeypatch.setenv("STORAGE_BACKEND", "s3")
    monkeypatch.delenv("S3_BUCKET", raising=False)
    with pytest.raises(config.SettingMissing, match="S3_BUCKET"):
        storage.default_storage()
    monkeypatch.setenv("S3_BUCKET", "documents")
    monkeypatch.setenv("S3_ACCESS_KEY_ID", "only-the-id")
    monkeypatch.delenv("S3_SECRET_ACCESS_KEY", raising=False)
    with pytest.raises(config.SettingMissing, match="S3_SECRET_ACCESS_KEY"):
        storage.default_storage()
    monkeypatch.setenv("STORAGE_BACKEND", "nfs")
    with pytest.raises(ValueError, match="STORAGE_BACKEND"):
        storage.default_storage()
    # Unset endpoint and keys: AWS itself, with boto3's own credentials (a pod's role).
    for name in ("S3_ENDPOINT_URL", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY", "S3_REGION"):
        monkeypatch.delenv(name, raising=False)
    settings = config.object_store_settings()
    assert (settings.endpoint_url, settings.access_key_id, settings.region) == (
        None, None, "us-east-1")
