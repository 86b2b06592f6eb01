"""Credentials into a wallet (issue 16): OpenID4VCI 1.0 issuance with the pre-authorised code
flow and a transaction code, SD-JWT VCs (`dc+sd-jwt`) with their type metadata, and the IETF
Token Status List they point to. The protocol endpoints are Starlette routes (routes.py)
over a service (issuance.py); JOSE is joserfc's."""
