"""Whether a dictamen can still be verified from what is kept: its stored PDF matches the SHA-256
recorded when it was generated, and its counts (valid, captured, per motivo, per dispersion unit)
come out the same when recounted from the per-support results of its compulsa. A purge checks it
before (nothing is removed while a dictamen fails) and after (its transaction is undone if one
fails), so a purge never leaves a dictamen that cannot be reproduced."""

import hashlib

from apoyo.aspirants.models import Aspirant
from apoyo.verification.counting import counts_by_aspirant_and_motive, valid_supports_by_unit
from apoyo.verification.models import Ruling


def pdf_problem(ruling):
    """Why the stored PDF does not match its recorded SHA-256, or ""."""
    digest = hashlib.sha256()
    try:
        with ruling.pdf.open("rb") as pdf:
            for chunk in pdf.chunks():
                digest.update(chunk)
    except (OSError, ValueError):
        return "no se encontró o no se pudo leer su PDF"
    if digest.hexdigest() != ruling.pdf_sha256:
        return "su PDF no coincide con la huella SHA-256 registrada"
    return ""


def count_problems(ruling):
    """Aspirants whose figures in the dictamen differ from a recount of the compulsa's results."""
    run, office = ruling.run, ruling.office
    by_motive = counts_by_aspirant_and_motive(run)
    by_unit = valid_supports_by_unit(run, office) if office.dispersion_unit else {}
    ids = dict(Aspirant.objects.filter(office=office).values_list("code", "id"))
    problems = []
    for figures in ruling.figures.get("aspirants", []):
        counts = dict(by_motive.get(ids.get(figures["code"]), {}))
        valid = counts.pop("", 0)
        motives = {m["code"]: m["count"] for m in figures["motives"]}
        units = {u["number"]: u["valid"] for u in figures.get("units", []) if u["valid"]}
        recounted_units = by_unit.get(ids.get(figures["code"]), {})
        if (
            valid != figures["valid"]
            or valid + sum(counts.values()) != figures["captured"]
            or any(counts.get(code, 0) != n for code, n in motives.items())
            or (figures.get("units") and units != recounted_units)
        ):
            problems.append(f"las cifras de {figures['code']} no coinciden con la compulsa")
    return problems


def ruling_problems(ruling):
    """Why the dictamen cannot be verified (Spanish phrases), or [] when it can."""
    pdf = pdf_problem(ruling)
    return ([pdf] if pdf else []) + count_problems(ruling)


def process_rulings(process):
    return (
        Ruling.objects.filter(office__process=process)
        .select_related("office", "run")
        .order_by("office__code", "generated_at", "id")
    )


def verify_process_rulings(process):
    """[{number, office, sha256, problems}] for every dictamen of the process (superseded ones
    too: each was a statement of the OPL)."""
    return [
        {
            "number": ruling.pk,
            "office": ruling.office.code,
            "sha256": ruling.pdf_sha256,
            "problems": ruling_problems(ruling),
        }
        for ruling in process_rulings(process)
    ]
