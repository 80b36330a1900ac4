"""Peer groups of a kommune: its KOSTRA group, its centrality class, its fylke, Norway.
Group figures are always computed from the members' numerators and denominators
(data_loaders.derive.aggregate), never averaged."""

from __future__ import annotations

from dataclasses import dataclass

from data_loaders.store import Store

from . import i18n

PEER_KINDS = ("kostra", "centrality", "fylke", "norway")
MAX_COMPARE = 5  # kommuner side by side on the compare page
KIND_LABEL = {
    "kostra": ("KOSTRA-gruppe", "KOSTRA group"),
    "centrality": ("Sentralitetsklasse", "Centrality class"),
    "fylke": ("Fylke", "County (fylke)"),
    "norway": ("Norge", "Norway"),
}


@dataclass(frozen=True)
class PeerGroup:
    kind: str
    code: str  # the group's rows in the store: '0000', 'F46', 'K12', 'S2'
    label: str  # e.g. "KOSTRA-gruppe 12", "Vestland"
    members: tuple[str, ...]

    def in_sentence(self) -> str:
        """The name inside a sentence: a class is lower-cased, a place is not."""
        return self.label if self.kind in ("fylke", "norway") else i18n.mid_sentence(self.label)


def _class_of(store: Store, indicator: str) -> dict[str, int]:
    v = store.values
    rows = v[(v["indicator"] == indicator) & (v["status"] == "ok")
             & v["kommunenummer"].isin(store.kommuner)]
    return {code: int(value) for code, value in zip(rows["kommunenummer"], rows["value"])}


def peer_group(store: Store, code: str, kind: str, lang: str = "nb") -> PeerGroup | None:
    """The kommune's group of `kind`, or None where the class is not known."""
    en = lang == "en"
    if kind == "norway":
        return PeerGroup(kind, "0000", "Norway" if en else "Norge", tuple(sorted(store.kommuner)))
    if kind == "fylke":
        fylke = code[:2]
        members = tuple(sorted(c for c in store.kommuner if c.startswith(fylke)))
        return PeerGroup(kind, "F" + fylke, store.fylker.get(fylke, fylke), members)
    indicator = "kostra_group" if kind == "kostra" else "centrality_class"
    classes = _class_of(store, indicator)
    if code not in classes:
        return None
    members = tuple(sorted(c for c, k in classes.items() if k == classes[code]))
    if kind == "kostra":
        label = f"{'KOSTRA group' if en else 'KOSTRA-gruppe'} {classes[code]}"
    else:
        label = f"{'Centrality class' if en else 'Sentralitetsklasse'} {classes[code]}"
    return PeerGroup(kind, ("K" if kind == "kostra" else "S") + str(classes[code]), label, members)


def comparison_group(store: Store, code: str, kind: str, lang: str = "nb") -> tuple[PeerGroup, PeerGroup | None]:
    """The group a kommune is compared with for `kind` (its fylke where the class is not
    known), and the group it was alone in, if any. Oslo is alone in KOSTRA group 13 and
    in its fylke: "2,7 against 2,7 in KOSTRA group 13, number 1 of 1" compared it with
    itself, so the next group with other kommuner in it is taken instead."""
    group = peer_group(store, code, kind, lang) or peer_group(store, code, "fylke", lang)
    if group.members != (code,):
        return group, None
    others = next(g for g in (peer_group(store, code, k, lang) for k in ("centrality", "fylke", "norway"))
                  if g is not None and len(g.members) > 1)
    return others, group
