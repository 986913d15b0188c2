"""Offline map data, Qt-free: read OpenStreetMap PBF extracts, write and query ``.csumap`` files.

* :mod:`.pbf` decodes an ``.osm.pbf`` file in pure Python (no new dependency);
* :mod:`.classify` says which OSM objects become map features, and from which zoom;
* :mod:`.mapfile` writes the console's compact SQLite map file and queries it by viewport;
* :mod:`.mercator` converts WGS84 positions to Web Mercator metres (EPSG:3857) and back.
"""
