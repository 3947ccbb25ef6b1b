"""bulkops: spreadsheets in, ad platform out."""

from bulkops._exceptions import (
    ApiError,
    AuthError,
    BulkopsError,
    ConfigError,
    InputError,
    PlatformError,
    RateLimitedError,
    TransportError,
)

__version__ = "0.1.0"

__all__ = [
    "ApiError",
    "AuthError",
    "BulkopsError",
    "ConfigError",
    "InputError",
    "PlatformError",
    "RateLimitedError",
    "TransportError",
    "__version__",
]
