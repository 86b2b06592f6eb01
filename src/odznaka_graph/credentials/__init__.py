"""Signed Open Badges 3.0 credentials: building, signing (Data Integrity `eddsa-rdfc-2022`
and VC-JWT ES256), issuer keys and DIDs, Bitstring Status Lists, and verification of
anyone's OB 3.0 documents.

The stable entry point for other parts of the code is

    from odznaka_graph.credentials import verify_document, VerificationReport

    report = await verify_document(text_or_dict, stores)   # see verify.py
"""

from odznaka_graph.credentials.proofs import Check
from odznaka_graph.credentials.verify import VerificationReport, verify_document

__all__ = ["Check", "VerificationReport", "verify_document"]
