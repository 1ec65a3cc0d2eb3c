"""The candidate's profile and documents."""
from __future__ import annotations

import registration_pb2 as reg
from services.gateway.clients import TIMEOUT, Backends
from services.gateway.schemas import profile as s
from services.gateway.web import Call, route
from services.shared.contracts.identity import MITRA
from services.shared.contracts.vocabulary import DOCUMENT_CONTENT_TYPES
from services.shared.platform.proto import from_dict, to_dict


class ProfileRoutes(Backends):
    @route("PUT", "/api/v1/me/profile", summary="Fill in or update the candidate profile",
           tag="profile", roles=MITRA, body=s.ProfileBody, responses={200: s.ProfileOut})
    def put_profile(self, call: Call):
        profile = self.registration.PutProfile(from_dict(call.body, reg.Profile),
                                               metadata=call.metadata, timeout=TIMEOUT)
        return 200, to_dict(profile)

    @route("GET", "/api/v1/me/profile", summary="The candidate profile", tag="profile",
           roles=MITRA, responses={200: s.ProfileOut})
    def get_profile(self, call: Call):
        profile = self.registration.GetProfile(reg.GetProfileRequest(), metadata=call.metadata,
                                               timeout=TIMEOUT)
        return 200, to_dict(profile)

    @route("PUT", "/api/v1/me/documents/<string:kind>", summary="Upload a document (raw body; "
           "type judged from the bytes)", tag="profile", roles=MITRA, upload=DOCUMENT_CONTENT_TYPES,
           responses={201: s.DocumentOut})
    def put_document(self, call: Call):
        document = self.registration.PutDocument(reg.PutDocumentRequest(
            kind=call.path_args["kind"], content=call.body,
            content_type=call.request.headers.get("Content-Type", "")),
            metadata=call.metadata, timeout=TIMEOUT)
        data = to_dict(document)
        return 201, {key: data[key] for key in ("kind", "sha256", "size", "content_type")}

    @route("GET", "/api/v1/me/documents", summary="The candidate's documents", tag="profile",
           roles=MITRA, responses={200: s.DocumentListOut})
    def list_documents(self, call: Call):
        documents = self.registration.ListDocuments(reg.ListDocumentsRequest(),
                                                    metadata=call.metadata, timeout=TIMEOUT)
        return 200, to_dict(documents)

    @route("GET", "/api/v1/regions/<string:code>", summary="A region code's names (2 digits "
           "province, 4 kabupaten/kota, 6 kecamatan: the NIK's first six), for forms that show "
           "them as a code is typed", tag="profile", public=True, responses={200: s.RegionOut})
    def describe_region(self, call: Call):
        region = self.registration.DescribeRegion(
            reg.DescribeRegionRequest(code=call.path_args["code"]), metadata=call.metadata,
            timeout=TIMEOUT)
        return 200, to_dict(region)
