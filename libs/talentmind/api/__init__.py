"""The public API's vocabulary: one pydantic model per request and response of v1.

The gateway validates requests with these models, serialises responses through them, and generates
``/v1/openapi.json`` from them, so the spec cannot drift from the code. The dispatcher reuses the response models
for webhook payloads ("the same fields the API would return for that object").
"""
