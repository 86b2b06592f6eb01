"""Closed sets of values shared by the domain and the API."""

from enum import StrEnum


class OrganizationKind(StrEnum):
    SCHOOL = "SCHOOL"
    UNIVERSITY = "UNIVERSITY"
    COMPANY = "COMPANY"
    NGO = "NGO"
    TRAINING_PROVIDER = "TRAINING_PROVIDER"
    CERTIFYING_BODY = "CERTIFYING_BODY"
    PUBLIC_BODY = "PUBLIC_BODY"
    SPORTS_CLUB = "SPORTS_CLUB"


class StaffRole(StrEnum):
    OWNER = "OWNER"
    ADMIN = "ADMIN"
    ISSUER = "ISSUER"


class TeamRole(StrEnum):
    TEACHER = "TEACHER"
    LEADER = "LEADER"
    STUDENT = "STUDENT"
    MEMBER = "MEMBER"


class ClubRole(StrEnum):
    OWNER = "OWNER"
    MODERATOR = "MODERATOR"
    MEMBER = "MEMBER"
