"""The OpenAPI 3.0 document of the JSON API (served at /api/openapi.json)."""

from __future__ import annotations

from typing import Any

from domain.cases.vocabulary import FILED, Kind

CASE_NUMBER = r"^[A-Z]{2}\d{12}$"
TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"  # no control characters (newlines and tabs are fine)
_ok = r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
NONBLANK = rf"^{_ok}*[^\s\x00-\x1f\x7f]{_ok}*$"  # the same, with at least one visible character
STATUS_VALUES = ("open", *FILED, "all")
_nullable_string: dict[str, Any] = {"type": "string", "nullable": True}
_nullable_int: dict[str, Any] = {"type": "integer", "nullable": True}
_error = {"description": "error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
_number_param = {"name": "number", "in": "path", "required": True,
                 "schema": {"type": "string", "pattern": CASE_NUMBER}, "example": "QX202611220001"}

OPENAPI: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Gongyou (工友) case API", "version": "1.0.0",
             "description": "Cases filed by workers through WeChat and SMS. A token acts with the rights of the "
                            "staff user it was issued to: agents see the cases of their regions only."},
    "servers": [{"url": "/"}],
    "security": [{"bearer": []}],
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
            "CaseSummary": {
                "type": "object",
                "required": ["number", "kind", "status", "priority", "overdue"],
                "properties": {
                    "number": {"type": "string"},
                    "kind": {"type": "string", "enum": [k.value for k in Kind]},
                    "category": _nullable_string,
                    "status": {"type": "string", "enum": [s.value for s in FILED]},
                    "city": _nullable_string,
                    "employer": _nullable_string,
                    "amount": _nullable_int,
                    "workers_affected": _nullable_int,
                    "priority": {"type": "integer"},
                    "filed_at": {"type": "string", "format": "date-time", "nullable": True},
                    "first_response_due": {"type": "string", "format": "date-time", "nullable": True},
                    "overdue": {"type": "boolean"},
                },
            },
            "CaseDetail": {
                "allOf": [{"$ref": "#/components/schemas/CaseSummary"}, {
                    "type": "object",
                    "required": ["anonymous", "story", "deadlines", "events"],
                    "properties": {
                        "anonymous": {"type": "boolean"},
                        "phone_masked": _nullable_string,
                        "site": _nullable_string,
                        "months": _nullable_int,
                        "story": {"type": "string"},
                        "deadlines": {"type": "object", "additionalProperties": {"type": "string", "nullable": True}},
                        "events": {"type": "array", "items": {
                            "type": "object", "required": ["at", "actor", "kind"],
                            "properties": {"at": {"type": "string", "nullable": True}, "actor": {"type": "string"},
                                           "kind": {"type": "string"}}}},
                    },
                }],
            },
        },
    },
    "paths": {
        "/api/cases": {"get": {
            "summary": "Open cases the token's user may see, overdue first, then by priority",
            "operationId": "listCases",
            "parameters": [
                {"name": "status", "in": "query", "schema": {"type": "string", "enum": list(STATUS_VALUES)}},
                {"name": "kind", "in": "query", "schema": {"type": "string",
                                                           "enum": [k.value for k in Kind]}},
                {"name": "city", "in": "query", "schema": {"type": "string", "maxLength": 32, "pattern": TEXT}},
                {"name": "q", "in": "query", "description": "a case number, an employer, or a phone number",
                 "schema": {"type": "string", "maxLength": 64, "pattern": TEXT}},
                {"name": "overdue", "in": "query", "schema": {"type": "string", "enum": ["true", "false"]}},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200}},
            ],
            "responses": {
                "200": {"description": "cases", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["cases"],
                    "properties": {"cases": {"type": "array", "items": {"$ref": "#/components/schemas/CaseSummary"}}},
                }}}},
                "400": _error, "401": _error,
            },
        }},
        "/api/cases/{number}": {"get": {
            "summary": "One case (personal data masked); the view is audited",
            "operationId": "getCase",
            "parameters": [_number_param],
            "responses": {
                "200": {"description": "the case", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/CaseDetail"}}}},
                "400": _error, "401": _error, "404": _error,
            },
        }},
        "/api/cases/{number}/status": {"post": {
            "summary": "Move a case to its next status, with a reason",
            "operationId": "changeStatus",
            "parameters": [_number_param],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["status", "reason"],
                "properties": {"status": {"type": "string",
                                          "enum": [s.value for s in FILED]},
                               "reason": {"type": "string", "minLength": 1, "maxLength": 500, "pattern": NONBLANK}},
            }}}},
            "responses": {
                "200": {"description": "the case after the change", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/CaseDetail"}}}},
                "400": _error, "401": _error, "403": _error, "404": _error,
                "409": {"description": "not a step this case can take now",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            },
        }},
        "/api/cases/{number}/replies": {"post": {
            "summary": "Reply to the worker on the channel they used (48-hour window and opt-out respected)",
            "operationId": "postReply",
            "parameters": [_number_param],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["text"],
                "properties": {"text": {"type": "string", "minLength": 1, "maxLength": 300, "pattern": NONBLANK}},
            }}}},
            "responses": {
                "202": {"description": "queued for delivery", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["outbound_id", "status"],
                    "properties": {"outbound_id": {"type": "integer"}, "status": {"type": "string"}}}}}},
                "400": _error, "401": _error, "404": _error,
            },
        }},
    },
}
