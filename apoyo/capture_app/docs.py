"""The API's documentation page, rendered from its OpenAPI schema without any external asset."""

from django.shortcuts import render
from django.views import View
from drf_spectacular.generators import SchemaGenerator

from apoyo.supports.models import ImageKind


def resolve(schema, spec):
    """A schema with its $ref followed (one level per call)."""
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    if not ref:
        return schema or {}
    name = ref.rsplit("/", 1)[-1]
    return spec["components"]["schemas"].get(name, {})


def type_label(schema, spec):
    """A short human description of a schema's type, e.g. «texto (uuid)», «lista de Error»."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    kind = schema.get("type", "")
    if kind == "array":
        return f"lista de {type_label(schema.get('items', {}), spec)}"
    names = {
        "string": "texto",
        "integer": "entero",
        "number": "número",
        "boolean": "sí/no",
        "object": "objeto",
    }
    label = names.get(kind, kind or "valor")
    if schema.get("format") == "binary":
        return "archivo"
    if schema.get("format"):
        label += f" ({schema['format']})"
    if schema.get("enum"):
        label += ": " + ", ".join(str(v) for v in schema["enum"] if v)
    return label


def fields_of(schema, spec):
    """The properties of an object schema: name, type, required, description."""
    schema = resolve(schema, spec)
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "type": type_label(prop, spec),
            "required": name in required,
            "description": prop.get("description", "")
            or resolve(prop, spec).get("description", ""),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


def describe_operations(spec):
    """The schema's operations, ready for the documentation template."""
    operations = []
    for path, item in spec.get("paths", {}).items():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            body = operation.get("requestBody", {}).get("content", {})
            media_type, content = next(iter(body.items()), (None, {}))
            responses = []
            for code, answer in operation.get("responses", {}).items():
                schema = next(iter(answer.get("content", {}).values()), {}).get("schema", {})
                responses.append(
                    {
                        "code": code,
                        "description": answer.get("description", ""),
                        "schema": type_label(schema, spec) if schema else "",
                    }
                )
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "authenticated": operation.get("security") != [{}]
                    and bool(operation.get("security")),
                    "parameters": operation.get("parameters", []),
                    "media_type": media_type,
                    "fields": fields_of(content.get("schema", {}), spec) if content else [],
                    "responses": responses,
                }
            )
    return operations


class ApiDocsView(View):
    """The API's documentation, rendered on the server from the same OpenAPI schema as
    /api/schema/ (no external scripts or styles)."""

    def get(self, request):
        spec = SchemaGenerator().get_schema(request=None, public=True)
        components = spec.get("components", {}).get("schemas", {})
        context = {
            "info": spec["info"],
            "operations": describe_operations(spec),
            "components": [
                {"name": name, "fields": fields_of(schema, spec)}
                for name, schema in sorted(components.items())
                if schema.get("properties")
            ],
            "image_kinds": ImageKind.choices,
        }
        return render(request, "capture_app/api_docs.html", context)
