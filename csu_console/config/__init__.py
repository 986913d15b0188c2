"""Typed site configuration (``site.toml``, ``cameras.geojson``, ``zones.geojson``).

Qt-free. :func:`load_site` raises ``ConfigError`` listing every problem;
:func:`check_site` returns them without raising.
"""

from csu_console.config.checks import Invalid
from csu_console.config.geo_checks import GeoImport, check_geo, import_geo
from csu_console.config.geo_write import cameras_document, write_geo, zones_document
from csu_console.config.loader import (
    CAMERAS_FILE,
    SITE_FILE,
    ZONES_FILE,
    check_area,
    check_point,
    check_site,
    default_config_dir,
    did_you_mean,
    load_site,
    site_timezone,
    validate_fields,
)
from csu_console.config.schema import (
    CAMERA_PROPERTIES,
    SITE_SCHEMA,
    ZONE_PROPERTIES,
    AlarmConfig,
    Camera,
    ConfigProblem,
    FieldSpec,
    GatewayConfig,
    GroupingConfig,
    SectionSpec,
    SiteConfig,
    SiteInfo,
    StationConfig,
    StorageConfig,
    Zone,
)

__all__ = [
    "CAMERAS_FILE",
    "CAMERA_PROPERTIES",
    "SITE_FILE",
    "SITE_SCHEMA",
    "ZONES_FILE",
    "ZONE_PROPERTIES",
    "AlarmConfig",
    "Camera",
    "ConfigProblem",
    "FieldSpec",
    "GatewayConfig",
    "GeoImport",
    "GroupingConfig",
    "Invalid",
    "SectionSpec",
    "SiteConfig",
    "SiteInfo",
    "StationConfig",
    "StorageConfig",
    "Zone",
    "cameras_document",
    "check_area",
    "check_geo",
    "check_point",
    "check_site",
    "default_config_dir",
    "did_you_mean",
    "import_geo",
    "load_site",
    "site_timezone",
    "validate_fields",
    "write_geo",
    "zones_document",
]
