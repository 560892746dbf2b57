"""The fields of each layer a plan file can fill, the guess of which attribute of the file holds
which field (`guess_mapping`, from common English and Vietnamese names), and the reading of a
feature's values (`properties_of`), for step 3 of a plan import (`analyse`)."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonedesk.core.text import fold
from zonedesk.planning.models import INFRASTRUCTURE, LandUse, Layer, Occupancy

# The fields of each layer a file can fill, in the order the mapping form shows them.
TARGETS: dict[str, list[str]] = {
    Layer.BOUNDARY: [],
    Layer.AREAS: ["code", "land_use", "name"],
    Layer.PARCELS: [
        "code",
        "land_use",
        "max_density_pct",
        "max_height_m",
        "max_far",
        *INFRASTRUCTURE,
        "occupancy",
        "project",
        "lease_price_vnd_m2",
        "private_note",
    ],
}
REQUIRED = ("code", "land_use")
TARGET_LABELS = {
    "code": gettext_lazy("Code"),
    "land_use": gettext_lazy("Land use"),
    "name": gettext_lazy("Name"),
    "max_density_pct": gettext_lazy("Maximum building density (%)"),
    "max_height_m": gettext_lazy("Maximum height (m)"),
    "max_far": gettext_lazy("Maximum floor-area ratio"),
    "power": gettext_lazy("Power ready"),
    "water": gettext_lazy("Water ready"),
    "drainage": gettext_lazy("Drainage ready"),
    "telecom": gettext_lazy("Telecom ready"),
    "occupancy": gettext_lazy("Occupancy"),
    "project": gettext_lazy("Project code"),
    "lease_price_vnd_m2": gettext_lazy("Lease price (VND/m²/year)"),
    "private_note": gettext_lazy("Internal note"),
}

# Attribute names planners use, folded (no accents, lower case, "_" between words). The field's
# own name always matches. Checked in this order, so a name is taken by the first field it fits.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "code": (
        "ma_lo",
        "ma_lo_dat",
        "ma_o",
        "ma_o_dat",
        "ky_hieu",
        "ki_hieu",
        "ky_hieu_lo",
        "ky_hieu_o",
        "so_hieu",
        "so_lo",
        "ten_lo",
        "lo",
        "ma_khu",
        "ma",
        "parcel",
        "parcel_code",
        "plot",
        "plot_id",
        "id_lo",
        "text",
    ),
    "land_use": (
        "loai_dat",
        "ma_loai_dat",
        "ma_ld",
        "loaidat",
        "chuc_nang",
        "ma_chuc_nang",
        "muc_dich",
        "muc_dich_su_dung",
        "mdsd",
        "mdsdd",
        "landuse",
        "use",
        "function",
        "layer",
    ),
    "name": ("ten", "ten_khu", "ten_phan_khu", "ten_khu_chuc_nang", "title"),
    "max_density_pct": ("mat_do", "mat_do_xd", "mat_do_xay_dung", "mdxd", "density", "mat_do_toi_da"),
    "max_height_m": ("tang_cao", "chieu_cao", "tang_cao_toi_da", "chieu_cao_toi_da", "height", "max_height"),
    "max_far": ("hsd", "hssdd", "hs_sdd", "he_so_sd", "he_so_sdd", "he_so_su_dung_dat", "far"),
    "power": ("dien", "cap_dien", "dien_san_sang"),
    "water": ("nuoc", "cap_nuoc"),
    "drainage": ("thoat_nuoc", "thoat_nuoc_thai"),
    "telecom": ("vien_thong", "thong_tin_lien_lac", "internet"),
    "occupancy": ("tinh_trang", "hien_trang", "trang_thai", "status"),
    "project": ("du_an", "ma_du_an", "ma_da", "project_code"),
    "lease_price_vnd_m2": ("gia_thue", "don_gia_thue", "don_gia", "gia", "lease_price", "price"),
    "private_note": ("ghi_chu", "ghi_chu_noi_bo", "note", "notes"),
}

_TRUE = {"1", "true", "t", "yes", "y", "x", "co", "da co", "san sang", "ready", "dat", "ok"}
_FALSE = {"", "0", "false", "f", "no", "n", "khong", "chua", "chua co", "none", "-"}
_OCCUPANCY = {
    "trong": Occupancy.VACANT,
    "con trong": Occupancy.VACANT,
    "chua thue": Occupancy.VACANT,
    "chua cho thue": Occupancy.VACANT,
    "dat trong": Occupancy.VACANT,
    "giu cho": Occupancy.RESERVED,
    "dat cho": Occupancy.RESERVED,
    "da dat cho": Occupancy.RESERVED,
    "da thue": Occupancy.LEASED,
    "da cho thue": Occupancy.LEASED,
    "gpmb": Occupancy.CLEARANCE,
    "dang gpmb": Occupancy.CLEARANCE,
    "giai phong mat bang": Occupancy.CLEARANCE,
    "dang giai phong mat bang": Occupancy.CLEARANCE,
    "cong cong": Occupancy.PUBLIC,
    "cong trinh cong cong": Occupancy.PUBLIC,
}


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(str(name))).strip("_")


def guess_mapping(fields: list[str], layer: str) -> dict[str, str]:
    """A proposal: for each field of the layer, the file attribute that most likely holds it
    (case-, accent- and punctuation-insensitive: "Mã lô", "MA_LO" and "ma-lo" are one name)."""
    by_key: dict[str, str] = {}
    for f in fields:
        by_key.setdefault(_key(f), f)
        by_key.setdefault(_key(f).replace("_", ""), f)
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for target in TARGETS[Layer(layer)]:
        for candidate in (target, *SYNONYMS.get(target, ())):
            for key in (candidate, candidate.replace("_", "")):
                f = by_key.get(key)
                if f is not None and f not in used:
                    mapping[target] = f
                    used.add(f)
                    break
            if target in mapping:
                break
    return mapping


def _plain(value: Any) -> Any:
    """A value as pyogrio gives it, made plain: None for nulls and NaN, whole floats as ints."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalars
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer() and abs(value) < 1e15:
            return int(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def as_text(value: Any) -> str:
    value = _plain(value)
    return "" if value is None else str(value).strip()


def _bool(value: Any, label: str, problems: list[str]) -> bool:
    value = _plain(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        if value in (0, 1):
            return bool(value)
    else:
        folded = fold(as_text(value))
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return False
    problems.append(_("%(field)s is not yes or no: “%(value)s”.") % {"field": label, "value": value})
    return False


def _land_use(value: Any, by_code: dict[str, LandUse], by_name: dict[str, LandUse]) -> str:
    text = as_text(value)
    if text.upper() in by_code:
        return text.upper()
    use = by_name.get(fold(text))
    return use.code if use is not None else text


def _occupancy(value: Any) -> str:
    text = as_text(value)
    if not text:
        return ""
    folded = fold(text)
    if folded in Occupancy.values:
        return folded
    for choice in Occupancy:
        if folded == fold(str(choice.label)):
            return choice.value
    return _OCCUPANCY.get(folded, text)


def properties_of(row: dict[str, Any], mapping: dict[str, str], lookups: dict[str, dict]) -> tuple[dict, list[str]]:
    """The layer's fields of one feature from its attributes, and the values that cannot be read."""
    problems: list[str] = []
    props: dict[str, Any] = {}
    for target, attribute in mapping.items():
        raw = row.get(attribute)
        if target in INFRASTRUCTURE:
            props[target] = _bool(raw, str(TARGET_LABELS[target]), problems)
        elif target == "land_use":
            props[target] = _land_use(raw, lookups["land_use_codes"], lookups["land_use_names"])
        elif target == "occupancy":
            props[target] = _occupancy(raw)
        elif target in {"max_density_pct", "max_height_m", "max_far", "lease_price_vnd_m2"}:
            value = _plain(raw)
            props[target] = value.strip() if isinstance(value, str) else value
        else:
            props[target] = as_text(raw)
    return props, problems
