"""The map pane: the map view with its overlays and a small toolbar."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QAction, QCloseEvent, QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from csu_console.config.schema import SiteConfig
from csu_console.ui.map.basemap import BasemapSource
from csu_console.ui.map.heatmap_layer import HeatmapLayer
from csu_console.ui.map.map_view import MapView
from csu_console.ui.map.overlays import MapOverlays
from csu_console.ui.map.projection import MercatorBBox, bbox_to_scene, scene_to_bbox, to_scene

#: Zoning ids the installer is likely to use, as the operator reads them.
ZONING_LABELS: dict[str, str] = {
    "secteur_pm": "Secteurs PM",
    "quartier": "Quartiers",
    "commune": "Communes",
}
#: More zonings than this: one « Zonages » menu instead of a checkbox each (the
#: toolbar must not widen the window, whatever number of zonings the site declares).
MAX_ZONING_BOXES = 2


def site_bbox(site: SiteConfig, basemap: BasemapSource | None) -> MercatorBBox | None:
    """The extent of the site's zones and cameras, else the map file's, else None."""
    points = [to_scene(c.lon, c.lat) for c in site.cameras]
    for zone in site.zones:
        min_lon, min_lat, max_lon, max_lat = zone.area.bbox
        points += [to_scene(min_lon, min_lat), to_scene(max_lon, max_lat)]
    if points:
        xs, ys = [p.x() for p in points], [p.y() for p in points]
        return scene_to_bbox(QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))
    return basemap.bbox_mercator if basemap is not None else None


class MapPane(QWidget):
    """The map of a site: zoning checkboxes, « Ajuster au site », the view.

    ``view.camera_clicked`` asks the camera wall to show a camera; ``overlays``
    takes alerts, camera health and the focus on an alert.
    """

    def __init__(
        self, site: SiteConfig, basemap: BasemapSource | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._site, self._basemap = site, basemap
        self.view = MapView(basemap, self)
        self.overlays = MapOverlays(self.view)
        self.overlays.set_zones(site.zones, {z.id: z.colour for z in site.zonings})
        self.overlays.set_cameras(site.cameras)
        #: Hidden until a screen feeds it (see ``ui/console/heatmap_feed.py``).
        self.heatmap = HeatmapLayer(self.view)

        self._bar = bar = QHBoxLayout()
        bar.setContentsMargins(6, 4, 6, 4)
        self.zoning_boxes: dict[str, QCheckBox | QAction] = {}
        #: The « Zonages » menu button (None: a checkbox per zoning).
        self.zoning_menu: QToolButton | None = None
        zonings = self.overlays.zonings()
        menu: QMenu | None = None
        if len(zonings) > MAX_ZONING_BOXES:
            self.zoning_menu = QToolButton(self)
            self.zoning_menu.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            menu = QMenu(self.zoning_menu)
            self.zoning_menu.setMenu(menu)
            bar.addWidget(self.zoning_menu)
        for zoning in zonings:
            # The short name the operator knows (the toolbar must not widen the
            # window), the declared label in full in the tooltip.
            declared = next((z for z in site.zonings if z.id == zoning), None)
            label = ZONING_LABELS.get(zoning) or (declared.label if declared else zoning)
            tip = declared.label if declared else label
            color = self.overlays.zoning_color(zoning).name()
            toggled = lambda on, z=zoning: self._show_zoning(z, on)  # noqa: E731
            if menu is not None:
                action = menu.addAction(_swatch(color), label)
                action.setCheckable(True)
                action.setChecked(True)
                action.setToolTip(tip)
                action.toggled.connect(toggled)
                self.zoning_boxes[zoning] = action
                continue
            box = QCheckBox(label, self)
            box.setToolTip(tip)
            box.setChecked(True)
            # The zoning's colour as a bar beside the name: the text keeps the theme's
            # colour, readable on a dark window as on a light one.
            box.setStyleSheet(
                f"QCheckBox {{ font-weight: bold; border-left: 6px solid {color};"
                " padding-left: 4px; }"
            )
            box.toggled.connect(toggled)
            bar.addWidget(box)
            self.zoning_boxes[zoning] = box
        self._count_zonings()
        bar.addStretch(1)
        self.fit_button = QPushButton(self.tr("Ajuster au site"), self)
        self.fit_button.clicked.connect(self.fit_site)
        bar.addWidget(self.fit_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

    def _show_zoning(self, zoning: str, on: bool) -> None:
        self.overlays.set_zoning_visible(zoning, on)
        self._count_zonings()

    def _count_zonings(self) -> None:
        """« Zonages (2/3) » on the menu button: how many are drawn, at a glance."""
        if self.zoning_menu is not None:
            shown = sum(1 for b in self.zoning_boxes.values() if b.isChecked())
            self.zoning_menu.setText(
                self.tr("Zonages ({shown}/{total})").format(
                    shown=shown, total=len(self.zoning_boxes)
                )
            )

    def add_tool(self, widget: QWidget) -> None:
        """Put a screen's control in the toolbar, before « Ajuster au site »."""
        widget.setParent(self)
        self._bar.insertWidget(self._bar.indexOf(self.fit_button), widget)

    def set_basemap(self, basemap: BasemapSource | None) -> None:
        """Draw another map file (it can arrive after the pane is shown)."""
        self._basemap = basemap
        self.view.basemap.set_source(basemap)
        self.view.refresh_basemap()

    def fit_site(self) -> None:
        """Show the whole site (its zones and cameras, else the map file)."""
        bbox = site_bbox(self._site, self._basemap)
        if bbox is not None:
            self.view.fit_site(bbox)

    def site_rect(self) -> QRectF | None:
        """The site's extent in scene units (None when nothing places it)."""
        bbox = site_bbox(self._site, self._basemap)
        return None if bbox is None else bbox_to_scene(bbox)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.view.shutdown()
        super().closeEvent(event)


def _swatch(color: str) -> QIcon:
    """A square of the zoning's colour, beside its name in the menu."""
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)
