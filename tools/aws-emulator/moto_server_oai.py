"""
moto_server, plus the CloudFront origin access identity (OAI) calls that moto does not implement.

Run it as `python moto_server_oai.py -H 127.0.0.1 -p 0` with the Python that has moto installed; it takes the
same arguments as `moto_server` and starts the same server. Before starting, it registers four operations on
moto's CloudFront service, on CloudFront's own REST/XML paths, so an unmodified AWS SDK (and the real ccoctl, whose
`--create-private-s3-bucket` creates an OAI) reaches them through AWS_ENDPOINT_URL:

  CreateCloudFrontOriginAccessIdentity   POST   /2020-05-31/origin-access-identity/cloudfront
  ListCloudFrontOriginAccessIdentities   GET    /2020-05-31/origin-access-identity/cloudfront
  GetCloudFrontOriginAccessIdentity      GET    /2020-05-31/origin-access-identity/cloudfront/{Id}
  DeleteCloudFrontOriginAccessIdentity   DELETE /2020-05-31/origin-access-identity/cloudfront/{Id}   (If-Match)

Requests are parsed and answers serialised by moto from botocore's CloudFront model, as for every moto service;
only the state and the four handlers are ours. The OAIs live on moto's CloudFront backend, so
`POST /moto-api/reset` forgets them with everything else. As on AWS: an OAI has an Id, an S3CanonicalUserId and an
ETag; Create answers 201 with Location and ETag; the same CallerReference with the same Comment returns the
existing OAI, with another Comment is `CloudFrontOriginAccessIdentityAlreadyExists`; Delete needs the current
ETag in If-Match (`InvalidIfMatchVersion` without, `PreconditionFailed` when stale) and refuses an OAI that a
distribution's S3 origin still names (`CloudFrontOriginAccessIdentityInUse`). Not done: Update and GetConfig,
paging beyond MaxItems (every OAI is listed at once), and any effect of the OAI on S3 access (moto enforces no
bucket policy principal anyway).

One more change, to S3 bucket policies: moto ignores every condition operator but StringEquals, so a TLS-only
statement (`Deny` for `*` when `Bool aws:SecureTransport` is `false`, what every state bucket must have) would deny
every object call unconditionally. The emulator stands for AWS's HTTPS endpoint (clients reach it through
AWS_ENDPOINT_URL as they would reach `https://s3.<region>.amazonaws.com`), so such a statement matches no request
and is left out when moto weighs the policy; every other statement is weighed as moto does.
"""

import json
import sys
from typing import Any

from moto.cloudfront import urls
from moto.cloudfront.exceptions import CloudFrontException, InvalidIfMatchVersion
from moto.cloudfront.models import CloudFrontBackend, Origin, random_id
from moto.cloudfront.responses import CloudFrontResponse
from moto.core.responses import ActionResult, EmptyResult
from moto.moto_api._internal import mock_random
from moto.iam.access_control import IAMPolicy, PermissionResult
from moto.s3.models import FakeBucket
from moto.server import main

OAI_PATH = "/2020-05-31/origin-access-identity/cloudfront"
OAI_REFERENCE_PREFIX = "origin-access-identity/cloudfront/"


class NoSuchCloudFrontOriginAccessIdentity(CloudFrontException):
    def __init__(self) -> None:
        super().__init__(
            "NoSuchCloudFrontOriginAccessIdentity",
            "The specified origin access identity does not exist.",
        )


class CloudFrontOriginAccessIdentityAlreadyExists(CloudFrontException):
    def __init__(self) -> None:
        super().__init__(
            "CloudFrontOriginAccessIdentityAlreadyExists",
            "If the CallerReference is a value you already sent in a previous request to create an identity but"
            " the content of the CloudFrontOriginAccessIdentityConfig is different from the original request,"
            " CloudFront returns a CloudFrontOriginAccessIdentityAlreadyExists error.",
        )


class CloudFrontOriginAccessIdentityInUse(CloudFrontException):
    def __init__(self) -> None:
        super().__init__("CloudFrontOriginAccessIdentityInUse", "The Origin Access Identity specified is already in use.")


class PreconditionFailed(CloudFrontException):
    def __init__(self) -> None:
        super().__init__("PreconditionFailed", "The precondition given in one or more of the request fields evaluated to false.")


class InvalidArgument(CloudFrontException):
    def __init__(self, message: str) -> None:
        super().__init__("InvalidArgument", message)


class OriginAccessIdentity:
    def __init__(self, caller_reference: str, comment: str) -> None:
        # CloudFront ids are 14 upper-case letters and digits starting with E, e.g. E2QWRUHAPOMQZL.
        self.id = "E" + random_id(length=13)
        self.s3_canonical_user_id = mock_random.get_random_hex(96)
        self.caller_reference = caller_reference
        self.comment = comment
        self.etag = "E" + random_id(length=13)

    def to_dict(self) -> dict[str, Any]:
        return {
            "Id": self.id,
            "S3CanonicalUserId": self.s3_canonical_user_id,
            "CloudFrontOriginAccessIdentityConfig": {
                "CallerReference": self.caller_reference,
                "Comment": self.comment,
            },
        }

    def summary(self) -> dict[str, Any]:
        return {"Id": self.id, "S3CanonicalUserId": self.s3_canonical_user_id, "Comment": self.comment}


# --- state: on moto's CloudFront backend, so that the backend's reset (POST /moto-api/reset) clears it too

_moto_backend_init = CloudFrontBackend.__init__


def _backend_init(self: CloudFrontBackend, region_name: str, account_id: str) -> None:
    _moto_backend_init(self, region_name, account_id)
    self.origin_access_identities: dict[str, OriginAccessIdentity] = {}


def _oai(backend: CloudFrontBackend, oai_id: str) -> OriginAccessIdentity:
    found = backend.origin_access_identities.get(oai_id)
    if found is None:
        raise NoSuchCloudFrontOriginAccessIdentity
    return found


def _in_use(backend: CloudFrontBackend, oai_id: str) -> bool:
    reference = OAI_REFERENCE_PREFIX + oai_id
    for distribution in backend.distributions.values():
        for origin in distribution.distribution_config.Origins["Items"]:
            if origin.s3_access_identity == reference:
                return True
    return False


# --- a distribution's S3 origin shows the OAI it names. moto keeps `S3OriginConfig.OriginAccessIdentity` (as
# `s3_access_identity`) but leaves `S3OriginConfig` out of its answers; AWS returns it, and a reader finds the OAI
# of a distribution through it.

_moto_origin_init = Origin.__init__


def _origin_init(self: Origin, origin: dict[str, Any]) -> None:
    _moto_origin_init(self, origin)
    self.s3_origin_config = {"OriginAccessIdentity": self.s3_access_identity} if "S3OriginConfig" in origin else None


# --- the four operations, named as moto's dispatcher derives them from botocore's operation names


def create_cloud_front_origin_access_identity(self: CloudFrontResponse) -> ActionResult:
    config = self._get_param("CloudFrontOriginAccessIdentityConfig") or {}
    caller_reference = config.get("CallerReference")
    comment = config.get("Comment")
    if not caller_reference or comment is None:
        raise InvalidArgument("CloudFrontOriginAccessIdentityConfig needs a CallerReference and a Comment.")
    identities = self.backend.origin_access_identities
    existing = next((oai for oai in identities.values() if oai.caller_reference == caller_reference), None)
    if existing is not None and existing.comment != comment:
        raise CloudFrontOriginAccessIdentityAlreadyExists
    oai = existing or OriginAccessIdentity(caller_reference, comment)
    identities[oai.id] = oai
    return ActionResult(
        {
            "CloudFrontOriginAccessIdentity": oai.to_dict(),
            "Location": f"https://cloudfront.amazonaws.com{OAI_PATH}/{oai.id}",
            "ETag": oai.etag,
        }
    )


def get_cloud_front_origin_access_identity(self: CloudFrontResponse) -> ActionResult:
    oai = _oai(self.backend, self._get_param("Id"))
    return ActionResult({"CloudFrontOriginAccessIdentity": oai.to_dict(), "ETag": oai.etag})


def list_cloud_front_origin_access_identities(self: CloudFrontResponse) -> ActionResult:
    marker = self._get_param("Marker")
    max_items = self._get_int_param("MaxItems") or 100
    items = [oai.summary() for oai in self.backend.origin_access_identities.values()]
    return ActionResult(
        {
            "CloudFrontOriginAccessIdentityList": {
                "Marker": marker or "",
                "MaxItems": max_items,
                "IsTruncated": False,
                "Quantity": len(items),
                "Items": items,
            }
        }
    )


def delete_cloud_front_origin_access_identity(self: CloudFrontResponse) -> EmptyResult:
    oai = _oai(self.backend, self._get_param("Id"))
    if_match = self._get_param("IfMatch")
    if not if_match:
        raise InvalidIfMatchVersion
    if if_match != oai.etag:
        raise PreconditionFailed
    if _in_use(self.backend, oai.id):
        raise CloudFrontOriginAccessIdentityInUse
    del self.backend.origin_access_identities[oai.id]
    return EmptyResult()


# --- S3 bucket policies: the emulator is the HTTPS endpoint, so a plain-http-only condition never matches


def _denies_plain_http_only(statement: Any) -> bool:
    """Whether the statement applies only to requests without TLS: its one condition is SecureTransport false."""
    if not isinstance(statement, dict):
        return False
    condition = statement.get("Condition")
    if not isinstance(condition, dict) or list(condition) != ["Bool"]:
        return False
    keys = condition["Bool"]
    if not isinstance(keys, dict) or list(keys) != ["aws:SecureTransport"]:
        return False
    values = keys["aws:SecureTransport"]
    values = values if isinstance(values, list) else [values]
    return bool(values) and all(str(v).lower() == "false" for v in values)


def _bucket_get_permission(self: FakeBucket, action: str, resource: str) -> Any:
    if self.policy is None:
        return PermissionResult.NEUTRAL
    document = json.loads(self.policy.decode())
    statements = document.get("Statement")
    if isinstance(statements, list):
        document["Statement"] = [s for s in statements if not _denies_plain_http_only(s)]
    elif _denies_plain_http_only(statements):
        return PermissionResult.NEUTRAL
    return IAMPolicy(json.dumps(document)).is_action_permitted(action, resource)


def register() -> None:
    FakeBucket.get_permission = _bucket_get_permission  # type: ignore[method-assign]
    CloudFrontBackend.__init__ = _backend_init  # type: ignore[method-assign]
    Origin.__init__ = _origin_init  # type: ignore[method-assign]
    for handler in (
        create_cloud_front_origin_access_identity,
        get_cloud_front_origin_access_identity,
        list_cloud_front_origin_access_identities,
        delete_cloud_front_origin_access_identity,
    ):
        setattr(CloudFrontResponse, handler.__name__, handler)
    # moto builds its Flask routes from this table when the first CloudFront request arrives.
    urls.url_paths["{0}" + OAI_PATH + "$"] = CloudFrontResponse.dispatch
    urls.url_paths["{0}" + OAI_PATH + "/(?P<oai_id>[^/]+)$"] = CloudFrontResponse.dispatch


if __name__ == "__main__":
    register()
    sys.exit(main(sys.argv[1:]))
