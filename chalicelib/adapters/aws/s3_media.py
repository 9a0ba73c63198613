"""The media bucket on S3: presigned uploads and downloads, derivatives, quarantine and models.

Key layout (docs/data-model.md, built in domain/cameras/media_keys.py): `uploads/{device}/{yyyy}/{mm}/{dd}/
{uuid}.{ext}` (originals, each create notifies the uploads queue), `evidence/…` (field crews' photos),
`redacted/…` (derivatives with faces blurred), `quarantine/…` (rejected uploads, the reason in the
object's metadata), `models/{name}/…` (the model registry).
"""

from __future__ import annotations

import hashlib
from typing import Any

from chalicelib.domain.cameras.media_keys import quarantine_key_of
from chalicelib.domain.cameras.ports import StoredObject


class S3MediaStore:
    def __init__(self, client: Any, bucket: str) -> None:
        self._s3 = client
        self._bucket = bucket

    def presign_upload(
        self, key: str, content_type: str, max_bytes: int, expires_s: int, metadata: dict[str, str]
    ) -> dict[str, object]:
        fields: dict[str, str] = {"Content-Type": content_type}
        fields.update({f"x-amz-meta-{name}": value for name, value in metadata.items()})
        conditions: list[Any] = [{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]]
        conditions += [{name: value} for name, value in fields.items() if name.startswith("x-amz-meta-")]
        post = self._s3.generate_presigned_post(
            Bucket=self._bucket, Key=key, Fields=fields, Conditions=conditions, ExpiresIn=expires_s
        )
        return {"url": post["url"], "fields": post["fields"]}

    def presign_download(self, key: str, expires_s: int) -> str:
        return str(
            self._s3.generate_presigned_url(
                "get_object", Params={"Bucket": self._bucket, "Key": key}, ExpiresIn=expires_s
            )
        )

    def head(self, key: str) -> StoredObject | None:
        try:
            answer = self._s3.head_object(Bucket=self._bucket, Key=key)
        except self._s3.exceptions.ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                return None
            raise
        return StoredObject(
            key=key,
            size=int(answer.get("ContentLength", 0)),
            content_type=str(answer.get("ContentType", "")),
            etag=str(answer.get("ETag", "")).strip('"'),
            metadata={str(k).lower(): str(v) for k, v in answer.get("Metadata", {}).items()},
        )

    def read(self, key: str) -> bytes:
        try:
            answer = self._s3.get_object(Bucket=self._bucket, Key=key)
        except self._s3.exceptions.NoSuchKey:
            raise KeyError(key) from None
        return bytes(answer["Body"].read())

    def sha256(self, key: str) -> str | None:
        try:
            answer = self._s3.get_object(Bucket=self._bucket, Key=key)
        except self._s3.exceptions.NoSuchKey:
            return None
        digest = hashlib.sha256()
        for chunk in iter(lambda: answer["Body"].read(1024 * 1024), b""):
            digest.update(chunk)
        return digest.hexdigest()

    def write(self, key: str, body: bytes, content_type: str, metadata: dict[str, str]) -> None:
        self._s3.put_object(
            Bucket=self._bucket, Key=key, Body=body, ContentType=content_type, Metadata=metadata
        )

    def quarantine(self, key: str, reason: str) -> str:
        """Copy under quarantine/ with the reason, then delete the original (idempotent: a missing
        original that is already in quarantine is not an error)."""
        target = quarantine_key_of(key)
        try:
            self._s3.copy_object(
                Bucket=self._bucket,
                Key=target,
                CopySource={"Bucket": self._bucket, "Key": key},
                MetadataDirective="REPLACE",
                Metadata={"reason": reason, "original-key": key},
            )
        except self._s3.exceptions.ClientError as error:
            if error.response.get("Error", {}).get("Code") not in {"NoSuchKey", "404"}:
                raise
            if self.head(target) is None:
                raise
        self._s3.delete_object(Bucket=self._bucket, Key=key)
        return target
