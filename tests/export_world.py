"""A hand-made portfolio with one of everything an export must hold (shared by export tests)."""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlmodel import select

from portfolio.domain import evaluation, evaluation_synthesis, feedback, guidance, signing, warnings
from portfolio.domain.attitudes import active_attitudes
from portfolio.domain.files import get_storage
from portfolio.domain.items import get_or_create_item, save_item
from portfolio.models import GuidanceType, ItemKind, StageDay, Upload, User
from portfolio.storage import new_key

AT = datetime(2025, 10, 8, 9, 0, tzinfo=UTC)


def png() -> bytes:
    """Return a real 1x1 PNG (a renderer can decode it)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


@dataclass
class Built:
    """What was made, to look for in the export: marker texts and file names."""

    public: list[str] = field(default_factory=list)  # a mentor sees these too
    personal: list[str] = field(default_factory=list)  # never in a mentor's export
    files: list[str] = field(default_factory=list)
    missing_file: str = ""
    signature_hashes: list[str] = field(default_factory=list)
    # The synthesis: supervisors and coordinator read it; the student once the board decided.
    synthesis: str = "Synthese-SY1"


def _item(db, placement, student, kind, content, **scope):
    item = get_or_create_item(db, placement, kind, actor=student, moment=AT, **scope)
    return save_item(db, item, content=content, base_version=item.version, actor=student, moment=AT)


def _upload(db, item, student, name, data, category, mime, *, stored=True) -> Upload:
    key = new_key(item.placement_id, "." + name.rsplit(".", 1)[-1])
    if stored:
        get_storage().save(key, io.BytesIO(data), content_type=mime, size=len(data))
    upload = Upload(
        placement_id=item.placement_id,
        item_id=item.id,
        storage_key=key,
        original_name=name,
        mime=mime,
        category=category,
        size=len(data),
        uploaded_by_id=student.id,
    )
    db.add(upload)
    return upload


def build_portfolio(db, world) -> Built:
    """Fill world.placement with items, files, feedback, guidance, evaluations and a warning.

    Call inside an app context (storage, clock); commits at the end.
    """
    p, student, sup = (
        world.placement,
        db.get(User, world.student.id),
        db.get(User, world.supervisor.id),
    )
    mentor = db.get(User, world.mentor.id)
    built = Built()
    day = db.exec(
        select(StageDay).where(StageDay.placement_id == p.id).order_by(StageDay.day)
    ).first()
    attitude = active_attitudes(db)[0]

    begin = _item(db, p, student, ItemKind.BEGINSITUATIE, {"doelgroep": "Beginsituatie-tekst-BS1"})
    # A second save makes a history of two versions.
    begin = save_item(
        db,
        begin,
        content={"doelgroep": "Beginsituatie-tekst-BS2"},
        base_version=begin.version,
        actor=student,
        moment=AT.replace(hour=11),
    )
    built.public.append("Beginsituatie-tekst-BS2")
    verkenning = _item(db, p, student, ItemKind.VERKENNING, {"afspraken": "Verkenning-VK1"})
    built.public.append("Verkenning-VK1")
    package = _item(db, p, student, ItemKind.STAGEPAKKET, {"afspraken": "Stagepakket-SP1"})
    built.public.append("Stagepakket-SP1")
    reflection = _item(
        db, p, student, ItemKind.REFLECTIE, {"wat_gebeurde": "Reflectie-RF1"}, stage_day_id=day.id
    )
    built.personal.append("Reflectie-RF1")
    _item(db, p, student, ItemKind.ZELFBEELD, {"tekst": "Zelfbeeld-ZB1"}, attitude_id=attitude.id)
    built.personal.append("Zelfbeeld-ZB1")

    _upload(db, verkenning, student, "foto schrift.png", png(), "image", "image/png")
    _upload(db, reflection, student, "kring/foto.png", png(), "image", "image/png")
    _upload(db, reflection, student, "opname.mp3", b"ID3" + b"\0" * 200, "audio", "audio/mpeg")
    _upload(db, package, student, "contract.pdf", b"%PDF-1.4\n%%EOF\n", "pdf", "application/pdf")
    _upload(
        db,
        package,
        student,
        "contract.pdf",
        b"%PDF-1.4\n%%EOF\n",
        "pdf",
        "application/pdf",
        stored=False,
    )
    built.files += ["foto schrift.png", "kring_foto.png", "opname.mp3", "contract.pdf"]
    built.missing_file = "contract (2).pdf"

    for signer in (student, mentor, sup):
        built.signature_hashes.append(
            signing.sign(db, package, p, signer=signer, moment=AT).content_hash
        )
    given = feedback.give_feedback(
        db,
        placement=p,
        item=verkenning,
        author=sup,
        kind="sterkte",
        body="Feedback-FB1",
        attitude_ids=[attitude.id],
        moment=AT,
    )
    feedback.reply_to(db, feedback=given, author=student, body="Antwoord-AW1", moment=AT)
    feedback.give_feedback(
        db,
        placement=p,
        item=reflection,
        author=sup,
        kind="groeipunt",
        body="Feedback-FB2",
        moment=AT,
    )
    built.public += ["Feedback-FB1", "Antwoord-AW1", attitude.name]
    built.personal.append("Feedback-FB2")

    moment = guidance.plan_moment(
        db,
        type=GuidanceType.STAGEBEZOEK,
        starts_at=AT,
        duration_minutes=60,
        actor=sup,
        title="Bezoek",
        placement=p,
    )
    guidance.add_note(
        db, moment, p, lessons="Begeleiding-BG1", insight="", next_steps="", actor=sup, at=AT
    )
    guidance.add_note(
        db, moment, p, lessons="Eigen-notitie-BG2", insight="", next_steps="", actor=student, at=AT
    )
    built.public.append("Begeleiding-BG1")
    built.personal.append("Eigen-notitie-BG2")

    evaluation.record_evaluation(
        db,
        p,
        attitude=attitude,
        stage="tussentijds",
        verdict="voldoende",
        reason="",
        actor=sup,
        role="begeleider",
        moment=AT,
    )
    evaluation.add_remark(
        db,
        p,
        stage="tussentijds",
        kind="sterkte",
        attitude=None,
        text="Sterkte-ST1",
        expected_behaviour="",
        actor=sup,
        moment=AT,
    )
    warnings.record_warning(
        db,
        p,
        facts="Waarschuwing-WF1",
        undesirable="Ongewenst-OW1",
        support="",
        agreements="",
        actor=sup,
        moment=AT,
    )
    evaluation_synthesis.propose_synthesis(
        db, p, is_pass=False, score=8, motivation="Synthese-SY1", actor=sup, moment=AT
    )
    built.public.append("Sterkte-ST1")
    built.personal.append("Waarschuwing-WF1")
    db.commit()
    return built
