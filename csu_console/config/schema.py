"""The site configuration schema: problems, field specs and the typed model
(the value checks themselves are in :mod:`csu_console.config.checks`).

The same field specs validate ``site.toml`` sections and GeoJSON feature properties,
so the installer screens can validate one value with ``spec.check(value)`` and get
the same French message as ``csu-console config check``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path
from typing import Any

from csu_console.config.backup_section import BackupConfig, clock
from csu_console.config.cap_section import CapConfig, boolean, geocode_entries, trusted_list
from csu_console.config.checks import (
    Check,
    Invalid,
    choice,
    id_list,
    integer,
    number,
    off_or_number,
    path,
    replay_template,
    text,
    timezone,
    url,
    url_list,
)
from csu_console.config.recorder_section import RecorderConfig
from csu_console.config.section_checks import days, unit_list, video_days
from csu_console.config.shift_checks import shift_list
from csu_console.config.speech_checks import priority_list, voice
from csu_console.config.territory_section import (
    colour,
    commune_list,
    declared_zonings,
    insee_code,
    make_zoning,
    zoning_id,
)
from csu_console.core.accounts import LockoutPolicy
from csu_console.core.alerts import (
    DEFAULT_PRIORITY_RULES,
    PRIORITY_MAX,
    PRIORITY_MIN,
    Category,
)
from csu_console.core.dispatch import DispatchSettings
from csu_console.core.geo import Area, in_field_of_view
from csu_console.core.grouping import Grouper
from csu_console.core.interrupt import AlarmPolicy
from csu_console.core.retention import RetentionPolicy
from csu_console.core.review.shifts import DEFAULT_SHIFTS, ShiftSettings
from csu_console.core.speech import SpeechSettings
from csu_console.core.territory import DEFAULT_ZONINGS, Territory, Zoning

#: The GeoJSON files of a config directory (the loader reads, ``geo_write`` writes them).
CAMERAS_FILE = "cameras.geojson"
ZONES_FILE = "zones.geojson"


@dataclass(frozen=True)
class ConfigProblem:
    """One problem found in the site configuration.

    ``file`` is the file name (``site.toml``), ``where`` the place in it
    (``[gateway]``, ``feature 3 (cam-07)``; features count from 1), ``field`` the key,
    ``message`` a French sentence saying what was expected and what was found, and
    ``hint`` an optional suggestion (``vouliez-vous dire « heading_deg » ?``).
    """

    file: str
    where: str
    field: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        parts = [p for p in (self.file, self.where) if p]
        text = f"{self.field} : {self.message}" if self.field else self.message
        line = ": ".join([*parts, text])
        return f"{line} — {self.hint}" if self.hint else line


@dataclass(frozen=True)
class FieldSpec:
    """One key of a section or of a feature's properties."""

    check: Check
    default: Any = None
    required: bool = False
    doc: str = ""


@dataclass(frozen=True)
class SectionSpec:
    """One ``site.toml`` section: its keys and the model built from the parsed values.

    ``model`` is called with one keyword argument per key present in the file (keys
    left out take the model's defaults); the result becomes the ``SiteConfig``
    attribute named like the section.
    """

    fields: dict[str, FieldSpec]
    model: Callable[..., Any]
    doc: str = ""
    #: A section of tables named by the site (``[zonings.secteur_pm]``): each table
    #: is checked against ``entry_fields`` and built by ``entry_model(index, id,
    #: **values)``; ``model`` then gets one keyword argument per entry (its id).
    entry_fields: dict[str, FieldSpec] | None = None
    entry_model: Callable[..., Any] | None = None
    entry_id: Callable[[Any], Any] | None = None


@dataclass(frozen=True)
class SiteInfo:
    """``[site]``: the CSU itself."""

    name: str = "CSU"
    commune: str = ""
    timezone: str = "Europe/Paris"
    language: str = "fr"


@dataclass(frozen=True)
class StationConfig:
    """``[station]``: this operator station."""

    id: str = "poste-1"
    name: str = "Poste 1"
    #: The communes this station handles (``Commune.key``: INSEE code, or name):
    #: its queue shows them first, or only them; empty: every commune alike.
    communes: tuple[str, ...] = ()


@dataclass(frozen=True)
class GatewayConfig:
    """``[gateway]``: the alert gateway link; ``ca_file`` is absolute once loaded."""

    url: str = "ws://127.0.0.1:8765/"  # one URL, or several separated by commas
    token: str | None = field(default=None, repr=False)
    ca_file: Path | None = None
    ping_interval_s: float = 5.0
    ping_timeout_s: float = 10.0
    reconnect_min_s: float = 0.5
    reconnect_max_s: float = 5.0

    @property
    def urls(self) -> tuple[str, ...]:
        """Every address, in order of preference (a CSU's hubs: failover)."""
        return split_urls(self.url)


def split_urls(text: str) -> tuple[str, ...]:
    """``"ws://a,ws://b"`` → ``("ws://a", "ws://b")`` (blanks dropped)."""
    return tuple(u.strip() for u in text.split(",") if u.strip())


@dataclass(frozen=True)
class StorageConfig:
    """``[storage]``: ``data_dir`` is absolute once loaded, None for the platform default."""

    data_dir: Path | None = None


@dataclass(frozen=True)
class AlarmConfig:
    """``[alarm]``: the alarm sound, in seconds; 0 turns a repeat or the escalation off."""

    repeat_p1_s: float = 5.0
    repeat_p2_s: float = 15.0
    repeat_p3_s: float = 30.0
    repeat_p4_s: float = 0.0
    escalation_after_s: float = 60.0
    mute_max_s: float = 120.0
    link_lost_repeat_s: float = 10.0
    #: Urgent alerts spoken by espeak-ng after their tone (category and place).
    speak: bool = False
    speak_priorities: tuple[int, ...] = (1,)
    voice: str = "fr"
    speak_rate: int = 160

    def speech(self) -> SpeechSettings:
        """The speech settings (:mod:`csu_console.media.speech`)."""
        return SpeechSettings(self.speak, self.speak_priorities, self.voice, self.speak_rate)

    def policy(self) -> AlarmPolicy:
        """The settings as the scheduler's :class:`~csu_console.core.interrupt.AlarmPolicy`."""
        repeats = (self.repeat_p1_s, self.repeat_p2_s, self.repeat_p3_s, self.repeat_p4_s)
        return AlarmPolicy(
            repeat_s={PRIORITY_MIN + i: seconds for i, seconds in enumerate(repeats)},
            escalation_after_s=self.escalation_after_s,
            mute_max_s=self.mute_max_s,
            link_lost_repeat_s=self.link_lost_repeat_s,
        )


@dataclass(frozen=True)
class GroupingConfig:
    """``[grouping]``: reports of one category this close in space and time are grouped."""

    radius_m: float = 150.0
    window_min: float = 15.0

    def grouper(self) -> Grouper:
        """A fresh :class:`~csu_console.core.grouping.Grouper` with these settings."""
        return Grouper(self.radius_m, timedelta(minutes=self.window_min))


@dataclass(frozen=True)
class Camera:
    """A camera from ``cameras.geojson``: position, view sector and streams."""

    id: str
    name: str
    kind: str  # "fixe" | "dome"
    lon: float
    lat: float
    heading_deg: float
    fov_deg: float
    range_m: float
    stream_main: str
    stream_sub: str | None = None
    zones: tuple[str, ...] = ()
    replay_url: str | None = None  # an NVR's replay URL template (see media.replay)

    def sees(self, lon: float, lat: float) -> bool:
        """True if (lon, lat) is in this camera's field of view and range."""
        return in_field_of_view(
            self.lon, self.lat, self.heading_deg, self.fov_deg, self.range_m, lon, lat
        )


@dataclass(frozen=True)
class Zone:
    """A zone from ``zones.geojson``; ``zoning`` groups zones (``secteur_pm``, ``quartier``)."""

    id: str
    name: str
    commune: str
    zoning: str
    area: Area
    insee: str = ""  # the commune's INSEE code (issue 19: communes first class)

    def contains(self, lon: float, lat: float) -> bool:
        """True if (lon, lat) is inside the zone (holes excluded)."""
        return self.area.contains(lon, lat)


@dataclass(frozen=True)
class MapConfig:
    """``[map]``: the offline basemap (a ``.csumap`` file made by ``csu-console map
    import``), and the OSM extract to build it from when it is missing."""

    file: Path | None = None
    source: Path | None = None
    #: A raster MBTiles file drawn instead of the vector map when set.
    raster: Path | None = None


#: ``[video] layout`` values and the grid's number of columns.
WALL_LAYOUTS = {"1": 1, "2x2": 2, "3x3": 3, "4x4": 4}


@dataclass(frozen=True)
class VideoConfig:
    """``[video]``: the camera wall, pre-warm, stream health and evidence folder."""

    layout: str = "2x2"
    prewarm_count: int = 4
    prewarm_hold_s: float = 120.0
    grace_s: float = 30.0
    offline_after_s: float = 300.0
    open_timeout_s: float = 2.0
    freeze_after_s: float = 3.0
    backend: str = "auto"
    evidence_dir: Path | None = None
    replay_before_s: float = 60.0  # « Relecture » starts this long before the report

    @property
    def columns(self) -> int:
        return WALL_LAYOUTS[self.layout]


@dataclass(frozen=True)
class ProberConfig:
    """``[prober]``: every camera of the site checked in the background, watched or not."""

    enabled: bool = True
    probe_every_s: float = 30.0  # a light RTSP exchange (DESCRIBE) per camera
    decode_every_s: float = 300.0  # a short decode per camera: black or frozen picture
    timeout_s: float = 3.0  # one exchange, or one decode's wait for its pictures
    workers: int = 4  # exchanges at once (a silent camera holds one for timeout_s)


#: ``[ui] theme`` values: dark for a dim control room (the default), light.
UI_THEMES = ("sombre", "clair")


@dataclass(frozen=True)
class UiConfig:
    """``[ui]``: how big and in which colours the console is drawn at this station."""

    scale: float = 1.0
    theme: str = "sombre"


@dataclass(frozen=True)
class ReviewConfig:
    """``[review]``: where the supervisor review reads (empty: this station's SQLite;
    ``postgresql://…``: the CSU's central database filled by ``csu-hub collect``)."""

    source: str = ""

    @property
    def central(self) -> bool:
        return bool(self.source)


def review_source(value: Any) -> str:
    """Empty, or a PostgreSQL URL (``postgresql://hôte/base`` or with ``?host=/socket``)."""
    expected = "vide (base du poste) ou URL postgresql://… attendue"
    if not isinstance(value, str):
        raise Invalid(expected)
    source: str = value.strip()
    if source and not source.startswith(("postgresql://", "postgres://")):
        raise Invalid(expected)
    return source


@dataclass(frozen=True)
class SignalsConfig:
    """``[signals]``: the weak-signal scan (``core.weak_signals``): whether it runs, how
    often, the window looked at and the baseline it is compared with."""

    enabled: bool = True
    every_min: float = 60.0
    window_days: int = 7
    baseline_weeks: int = 8


@dataclass(frozen=True)
class SiteConfig:
    """The whole validated site configuration, as loaded from ``config_dir``."""

    config_dir: Path
    site: SiteInfo = field(default_factory=SiteInfo)
    station: StationConfig = field(default_factory=StationConfig)
    gateway: GatewayConfig = field(default_factory=GatewayConfig)
    priorities: dict[Category, int] = field(default_factory=lambda: dict(DEFAULT_PRIORITY_RULES))
    storage: StorageConfig = field(default_factory=StorageConfig)
    alarm: AlarmConfig = field(default_factory=AlarmConfig)
    grouping: GroupingConfig = field(default_factory=GroupingConfig)
    map: MapConfig = field(default_factory=MapConfig)
    retention: RetentionPolicy = field(default_factory=RetentionPolicy)
    accounts: LockoutPolicy = field(default_factory=LockoutPolicy)
    dispatch: DispatchSettings = field(default_factory=DispatchSettings)
    video: VideoConfig = field(default_factory=VideoConfig)
    prober: ProberConfig = field(default_factory=ProberConfig)
    shifts: ShiftSettings = field(default_factory=ShiftSettings)
    ui: UiConfig = field(default_factory=UiConfig)
    review: ReviewConfig = field(default_factory=ReviewConfig)
    recorder: RecorderConfig = field(default_factory=RecorderConfig)
    cap: CapConfig = field(default_factory=CapConfig)
    signals: SignalsConfig = field(default_factory=SignalsConfig)
    backup: BackupConfig = field(default_factory=BackupConfig)
    cameras: tuple[Camera, ...] = ()
    zones: tuple[Zone, ...] = ()
    #: The declared zonings (``site.toml``); the two historical ones when none is.
    zonings: tuple[Zoning, ...] = DEFAULT_ZONINGS

    @property
    def territory(self) -> Territory:
        """The communes, zonings and zones, placing alerts (built on each call:
        keep the result)."""
        return Territory(self.zones, self.zonings)

    def zone_at(self, lon: float, lat: float) -> list[Zone]:
        """Every zone containing (lon, lat), in file order (one per zoning, usually)."""
        return [z for z in self.zones if z.contains(lon, lat)]

    def cameras_seeing(self, lon: float, lat: float) -> list[Camera]:
        """Every camera whose field of view covers (lon, lat), in file order."""
        return [c for c in self.cameras if c.sees(lon, lat)]


def merged_priorities(**rules: int) -> dict[Category, int]:
    """``[priorities]`` model: the file's rules over ``DEFAULT_PRIORITY_RULES``."""
    merged = dict(DEFAULT_PRIORITY_RULES)
    merged.update({Category(k): v for k, v in rules.items()})
    return merged


_REPEAT = off_or_number(0.1, 3600)

# To add a section: add an entry here and a same-named field to SiteConfig. Relative
# paths (``path`` check) are resolved against the config directory by the loader.
SITE_SCHEMA: dict[str, SectionSpec] = {
    "site": SectionSpec(
        {
            "name": FieldSpec(text(), "CSU", doc="nom affiché du centre"),
            "commune": FieldSpec(text(), ""),
            "timezone": FieldSpec(timezone, "Europe/Paris"),
            "language": FieldSpec(choice("fr", "en"), "fr"),
        },
        SiteInfo,
        "le centre de surveillance",
    ),
    "station": SectionSpec(
        {
            "id": FieldSpec(text(non_empty=True), "poste-1"),
            "name": FieldSpec(text(), "Poste 1"),
            "communes": FieldSpec(
                commune_list, (), doc="communes du poste : codes INSEE ou noms (vide : toutes)"
            ),
        },
        StationConfig,
        "ce poste opérateur",
    ),
    "gateway": SectionSpec(
        {
            "url": FieldSpec(
                url_list(("ws", "wss")),
                "ws://127.0.0.1:8765/",
                doc="plusieurs serveurs d'alertes : liste, ou URL séparées par des virgules",
            ),
            "token": FieldSpec(text(non_empty=True), None, doc="secret, jamais journalisé"),
            "ca_file": FieldSpec(path, None, doc="relatif au dossier de configuration"),
            "ping_interval_s": FieldSpec(number(0, 3600, lo_open=True), 5.0),
            "ping_timeout_s": FieldSpec(number(0, 3600, lo_open=True), 10.0),
            "reconnect_min_s": FieldSpec(number(0, 3600, lo_open=True), 0.5),
            "reconnect_max_s": FieldSpec(number(0, 3600, lo_open=True), 5.0),
        },
        GatewayConfig,
        "la passerelle d'alertes (websocket)",
    ),
    "priorities": SectionSpec(
        {c.value: FieldSpec(integer(PRIORITY_MIN, PRIORITY_MAX)) for c in Category},
        merged_priorities,
        "priorité par catégorie (1 = urgente … 4 = information)",
    ),
    "storage": SectionSpec(
        {"data_dir": FieldSpec(path, None, doc="relatif au dossier de configuration")},
        StorageConfig,
        "stockage local",
    ),
    "alarm": SectionSpec(
        {
            "repeat_p1_s": FieldSpec(_REPEAT, 5.0, doc="répétition, priorité 1 (urgente)"),
            "repeat_p2_s": FieldSpec(_REPEAT, 15.0, doc="répétition, priorité 2 (haute)"),
            "repeat_p3_s": FieldSpec(_REPEAT, 30.0, doc="répétition, priorité 3 (normale)"),
            "repeat_p4_s": FieldSpec(_REPEAT, 0.0, doc="répétition, priorité 4 (information)"),
            "escalation_after_s": FieldSpec(_REPEAT, 60.0, doc="urgente non prise en compte"),
            "mute_max_s": FieldSpec(number(0, 600, lo_open=True), 120.0, doc="jamais permanent"),
            "link_lost_repeat_s": FieldSpec(_REPEAT, 10.0, doc="liaison perdue"),
            "speak": FieldSpec(boolean, False, doc="annonce vocale (espeak-ng) après la sonnerie"),
            "speak_priorities": FieldSpec(priority_list, (1,), doc="priorités annoncées"),
            "voice": FieldSpec(voice, "fr", doc="voix espeak-ng"),
            "speak_rate": FieldSpec(integer(80, 400), 160, doc="débit, mots par minute"),
        },
        AlarmConfig,
        "l'alarme sonore (secondes ; 0 = désactivé)",
    ),
    "grouping": SectionSpec(
        {
            "radius_m": FieldSpec(number(0, 2000), 150.0, doc="0 = pas de regroupement"),
            "window_min": FieldSpec(number(0, 1440), 15.0, doc="0 = pas de regroupement"),
        },
        GroupingConfig,
        "regroupement des signalements (même catégorie, même lieu, même moment)",
    ),
    "map": SectionSpec(
        {
            "file": FieldSpec(
                path, None, doc="carte .csumap, relative au dossier de configuration"
            ),
            "source": FieldSpec(path, None, doc="extrait .osm.pbf importé si la carte manque"),
            "raster": FieldSpec(
                path, None, doc="fond raster MBTiles, prioritaire sur la carte vectorielle"
            ),
        },
        MapConfig,
        "fond de carte hors ligne",
    ),
    "retention": SectionSpec(
        {
            "video_days": FieldSpec(video_days, 30, doc="captures et images, 30 au plus (CNIL)"),
            "personal_data_days": FieldSpec(days, 90, doc="pseudonyme, description, commentaires"),
            "rejected_days": FieldSpec(days, 30, doc="trames rejetées (contenu brut)"),
            "citizen_days": FieldSpec(
                days, 90, doc="signalements citoyens : titre, lieu, commune (scellés ensuite)"
            ),
        },
        RetentionPolicy,
        "durées de conservation en jours (RGPD, CNIL)",
    ),
    "accounts": SectionSpec(
        {
            "max_failures": FieldSpec(integer(1, 100), 5, doc="échecs de suite avant verrouillage"),
            "lockout_s": FieldSpec(number(1, 86400), 300.0, doc="durée du verrouillage"),
        },
        LockoutPolicy,
        "comptes locaux",
    ),
    "dispatch": SectionSpec(
        {"units": FieldSpec(unit_list, (), doc="[[dispatch.units]] : id, name, kind")},
        DispatchSettings,
        "unités et patrouilles engageables",
    ),
    "video": SectionSpec(
        {
            "layout": FieldSpec(choice(*WALL_LAYOUTS), "2x2", doc="mur d'images au démarrage"),
            "prewarm_count": FieldSpec(integer(0, 16), 4, doc="caméras lancées dès l'alerte"),
            "prewarm_hold_s": FieldSpec(number(0, 3600), 120.0, doc="durée du pré-chargement"),
            "grace_s": FieldSpec(number(0, 3600), 30.0, doc="flux plus regardé : arrêté après"),
            "offline_after_s": FieldSpec(
                number(1, 86400), 300.0, doc="caméra sans image : alerte « hors service »"
            ),
            "open_timeout_s": FieldSpec(number(0.2, 60), 2.0, doc="connexion à une caméra"),
            "freeze_after_s": FieldSpec(number(0.5, 60), 3.0, doc="image figée : signal perdu"),
            "backend": FieldSpec(choice("auto", "opencv", "vlc"), "auto", doc="décodeur RTSP"),
            "evidence_dir": FieldSpec(path, None, doc="clichés ; défaut : données/evidence"),
            "replay_before_s": FieldSpec(
                number(0, 3600), 60.0, doc="« Relecture » : secondes avant le signalement"
            ),
        },
        VideoConfig,
        "mur d'images et flux caméras",
    ),
    "prober": SectionSpec(
        {
            "enabled": FieldSpec(boolean, True, doc="vérifier toutes les caméras en fond"),
            "probe_every_s": FieldSpec(
                number(2, 3600), 30.0, doc="échange RTSP léger avec chaque caméra"
            ),
            "decode_every_s": FieldSpec(
                number(10, 86400), 300.0, doc="décodage court : image noire ou figée"
            ),
            "timeout_s": FieldSpec(number(0.5, 30), 3.0, doc="délai d'une vérification"),
            "workers": FieldSpec(integer(1, 16), 4, doc="vérifications simultanées"),
        },
        ProberConfig,
        "surveillance de toutes les caméras",
    ),
    "shifts": SectionSpec(
        {
            "periods": FieldSpec(
                shift_list, DEFAULT_SHIFTS, doc="{ id, name, start, end } en heure locale"
            ),
        },
        ShiftSettings,
        "vacations (revue du superviseur)",
    ),
    "ui": SectionSpec(
        {
            "scale": FieldSpec(
                number(0.75, 2.0), 1.0, doc="taille des textes (1 = lisible à deux mètres)"
            ),
            "theme": FieldSpec(choice(*UI_THEMES), "sombre", doc="sombre (salle tamisée) ou clair"),
        },
        UiConfig,
        "affichage du poste",
    ),
    "review": SectionSpec(
        {
            "source": FieldSpec(
                review_source, "", doc="vide : base du poste ; postgresql://… : base centrale"
            ),
        },
        ReviewConfig,
        "revue du superviseur",
    ),
    "signals": SectionSpec(
        {
            "enabled": FieldSpec(boolean, True, doc="analyse périodique de l'historique"),
            "every_min": FieldSpec(number(1, 1440), 60.0, doc="minutes entre deux analyses"),
            "window_days": FieldSpec(integer(1, 60), 7, doc="jours de la fenêtre examinée"),
            "baseline_weeks": FieldSpec(
                integer(1, 52), 8, doc="semaines précédentes servant de référence"
            ),
        },
        SignalsConfig,
        "signaux faibles (superviseur)",
    ),
    "cap": SectionSpec(
        {
            "ring_exercises": FieldSpec(boolean, False, doc="un exercice sonne-t-il ?"),
            "geocodes": FieldSpec(geocode_entries, {}, doc='"INSEE:30189" = ["zone", …]'),
            "geocodes_file": FieldSpec(path, None, doc="GeoJSON de communes, départements…"),
            "trusted": FieldSpec(trusted_list, (), doc="[[cap.trusted]] sender, certificate"),
        },
        CapConfig,
        "alertes CAP des partenaires",
    ),
    "recorder": SectionSpec(
        {
            "dir": FieldSpec(path, None, doc="enregistrements ; défaut : données/recordings"),
            "segment_s": FieldSpec(integer(2, 600), 60, doc="durée d'un segment"),
            "disk_budget_gb": FieldSpec(number(0, 1e6), 0.0, doc="0 : pas de plafond"),
            "min_free_gb": FieldSpec(number(0, 1e6), 1.0, doc="espace libre minimal"),
            "stream": FieldSpec(choice("main", "sub"), "main", doc="flux enregistré"),
            "record": FieldSpec(id_list, (), doc="caméras enregistrées ; vide : toutes"),
        },
        RecorderConfig,
        "enregistrement des caméras (csu-recorder)",
    ),
    "backup": SectionSpec(
        {
            "dir": FieldSpec(path, None, doc="sauvegarde nocturne ; vide : aucune"),
            "at": FieldSpec(clock, time(3, 0), doc="heure locale « HH:MM »"),
            "keep": FieldSpec(integer(1, 365), 7, doc="sauvegardes gardées"),
        },
        BackupConfig,
        "sauvegarde nocturne par la console (sans les secrets)",
    ),
    "zonings": SectionSpec(
        {},
        declared_zonings,
        "zonages du territoire : [zonings.<id>] label, colour",
        entry_fields={
            "label": FieldSpec(text(non_empty=True), required=True, doc="nom affiché"),
            "colour": FieldSpec(colour, None, doc="#rrggbb ; une couleur par défaut"),
        },
        entry_model=make_zoning,
        entry_id=zoning_id,
    ),
}

CAMERA_PROPERTIES: dict[str, FieldSpec] = {
    "id": FieldSpec(text(non_empty=True), required=True),
    "name": FieldSpec(text(), None, doc="l'id par défaut"),
    "kind": FieldSpec(choice("fixe", "dome"), required=True),
    "heading_deg": FieldSpec(number(0, 360), required=True),
    "fov_deg": FieldSpec(number(0, 360, lo_open=True), required=True),
    "range_m": FieldSpec(number(0, 2000, lo_open=True), required=True),
    "stream_main": FieldSpec(url(example="rtsp://, http://, udp://, file://"), required=True),
    "stream_sub": FieldSpec(url(example="rtsp://, http://, udp://, file://"), None),
    "zones": FieldSpec(id_list, ()),
    "replay_url": FieldSpec(
        replay_template(), None, doc="rtsp://nvr/…?starttime={start:%Y%m%dT%H%M%SZ} (UTC)"
    ),
}

ZONE_PROPERTIES: dict[str, FieldSpec] = {
    "id": FieldSpec(text(non_empty=True), required=True),
    "name": FieldSpec(text(), None, doc="l'id par défaut"),
    "commune": FieldSpec(text(), "", doc="nom de la commune"),
    "insee": FieldSpec(insee_code, "", doc="code INSEE de la commune (5 caractères)"),
    "zoning": FieldSpec(
        text(non_empty=True), required=True, doc="un zonage déclaré : secteur_pm, commune…"
    ),
}
